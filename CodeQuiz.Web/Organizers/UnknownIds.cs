using System.Globalization;
using System.Text.RegularExpressions;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// An id too large for the routes that take it (/api/events/99999999999/questions) matches no {id:int} and was told
/// "no such API route", as if the script had the address wrong. It is answered as any unknown id is: 404, there is no
/// event 99999999999.
/// </summary>
static class UnknownIds
{
    public const string Constraint = "toolarge";

    public static IServiceCollection AddUnknownIds(this IServiceCollection services) =>
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<TooLargeConstraint>(Constraint));

    /// <summary>/{collection}/{id}/… for any method, when the id is a whole number beyond <paramref name="type"/> (int or long).</summary>
    public static RouteGroupBuilder MapUnknownIds(this RouteGroupBuilder api, string collection, string entity, string type = "int")
    {
        api.Map($"/{collection}/{{id:{Constraint}({type})}}/{{**rest}}", (string id) => ApiResults.NotFound($"There is no {entity} {id}."))
            .ExcludeFromDescription();
        return api;
    }

    /// <summary>A whole number that int (or long) cannot hold; any other value is left to the routes that take it.</summary>
    sealed class TooLargeConstraint(string type) : IRouteConstraint
    {
        static readonly Regex WholeNumber = new(@"\A[-+]?[0-9]+\z", RegexOptions.CultureInvariant);

        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            values.TryGetValue(routeKey, out var value) && value is string text && WholeNumber.IsMatch(text)
            && !(type == "long" ? long.TryParse(text, CultureInfo.InvariantCulture, out _) : int.TryParse(text, CultureInfo.InvariantCulture, out _));
    }
}
