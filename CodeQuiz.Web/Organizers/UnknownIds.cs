using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// An id too large for the routes that take it (/api/events/99999999999/questions) matches no {id:int} and was told
/// "no such API route", as if the script had the address wrong. It is answered as any unknown id is: 404, there is no
/// event 99999999999.
/// <para>
/// Each API route with an id has a twin that takes only the ids too large for it, with the route's methods and content
/// types, rather than one catch-all per collection: routing answers 415 only where no endpoint at the address takes the
/// body's type, and a catch-all takes any, so a form sent to PUT /api/questions/7 was told the route does not exist.
/// </para>
/// </summary>
static partial class UnknownIds
{
    public const string Constraint = "toolarge";

    static readonly Dictionary<string, string> Entities = new() { ["events"] = "event", ["questions"] = "question", ["participants"] = "participant" };

    public static IServiceCollection AddUnknownIds(this IServiceCollection services) =>
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<TooLargeConstraint>(Constraint));

    /// <summary>After the API's routes: their twins for ids too large, answering 404.</summary>
    public static IEndpointRouteBuilder MapUnknownIds(this IEndpointRouteBuilder app)
    {
        // The sources mapped so far, the API among them; the 405 answers, mapped after, are made for the twins too.
        app.DataSources.Add(new TooLargeIdEndpoints([.. app.DataSources]));
        return app;
    }

    sealed class TooLargeIdEndpoints(IReadOnlyList<EndpointDataSource> sources) : EndpointDataSource
    {
        IReadOnlyList<Endpoint>? _endpoints;

        public override IReadOnlyList<Endpoint> Endpoints =>
            _endpoints ??= [.. sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().Select(TwinOf).OfType<Endpoint>()];

        public override IChangeToken GetChangeToken() => NullChangeToken.Singleton;
    }

    /// <summary>The route with {id:int} (or long) as {id:toolarge(int)}, answering that there is no such event, question or participant.</summary>
    static RouteEndpoint? TwinOf(RouteEndpoint endpoint)
    {
        if (endpoint.RoutePattern.RawText is not { } route || !route.StartsWith(ApiProblems.Prefix + "/", StringComparison.Ordinal)
            || IdSegment().Match(route) is not { Success: true } id || !Entities.TryGetValue(id.Groups["collection"].Value, out var entity))
            return null;
        var name = id.Groups["name"].Value;
        var pattern = RoutePatternFactory.Parse(
            $"{route[..id.Index]}/{id.Groups["collection"].Value}/{{{name}:{Constraint}({id.Groups["type"].Value})}}{route[(id.Index + id.Length)..]}");
        return new RouteEndpoint(
            context => ApiResults.NotFound($"There is no {entity} {context.Request.RouteValues[name]}.").ExecuteAsync(context),
            pattern,
            endpoint.Order,
            new EndpointMetadataCollection([.. endpoint.Metadata, new ExcludeFromDescriptionAttribute()]),
            $"{endpoint.DisplayName} (an id too large)");
    }

    [GeneratedRegex(@"/(?<collection>[a-z]+)/\{(?<name>\w+):(?<type>int|long)\}")]
    private static partial Regex IdSegment();

    /// <summary>A whole number that int (or long) cannot hold; any other value is left to the routes that take it.</summary>
    sealed class TooLargeConstraint(string type) : IRouteConstraint
    {
        static readonly Regex WholeNumber = new(@"\A[-+]?[0-9]+\z", RegexOptions.CultureInvariant);

        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            values.TryGetValue(routeKey, out var value) && value is string text && WholeNumber.IsMatch(text)
            && !(type == "long" ? long.TryParse(text, CultureInfo.InvariantCulture, out _) : int.TryParse(text, CultureInfo.InvariantCulture, out _));
    }
}
