using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// A request with a method that an API or webhook route does not take (GET on POST /api/questions/{id}/open) gets 405,
/// the route's methods in <c>Allow</c>, and problem details. Routing answers 405 by itself only when no other endpoint
/// could take the method at that address, and the static files' catch-all ({**path:file}, GET and HEAD, mapped when the
/// app runs from its build) always could: the GET then found nothing and left as 404, and other methods were told to
/// use GET or HEAD.
/// <para>
/// A marked route that takes GET takes HEAD too, answered as the GET is (status and headers; the body is dropped by
/// <see cref="ApiProblems.StartupFilter"/>): curl -I, uptime monitors and link checkers ask with HEAD, and minimal
/// APIs' MapGet does not match it, so they were told 405.
/// </para>
/// </summary>
public static class WrongMethods
{
    /// <summary>Marks the endpoints whose routes answer the methods they do not take with 405.</summary>
    public static TBuilder AnswersWrongMethods<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Marker.Instance);

    /// <summary>
    /// After every route is mapped: HEAD for each marked GET route, and a 405 endpoint for each marked route, for every
    /// method it does not take. That endpoint names no method, so it answers TRACE, PROPFIND or one made up as well:
    /// routing's own 405 for those has no body, and its Allow lists the 405 endpoint's methods as if the route took them.
    /// </summary>
    public static IEndpointRouteBuilder MapWrongMethods(this IEndpointRouteBuilder app)
    {
        app.DataSources.Add(new WrongMethodEndpoints(app.DataSources));
        return app;
    }

    sealed class Marker
    {
        public static readonly Marker Instance = new();
    }

    sealed class WrongMethodEndpoints(ICollection<EndpointDataSource> sources) : EndpointDataSource
    {
        IReadOnlyList<Endpoint>? _endpoints;

        public override IReadOnlyList<Endpoint> Endpoints => _endpoints ??= Build();

        public override IChangeToken GetChangeToken() => NullChangeToken.Singleton;

        List<Endpoint> Build()
        {
            var routes = sources.Where(s => s != this).SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<Marker>() is not null && e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
                .GroupBy(e => e.RoutePattern.RawText);
            var endpoints = new List<Endpoint>();
            foreach (var route in routes)
            {
                var taken = route.SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (!taken.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase)
                    && route.FirstOrDefault(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)) is { } get)
                {
                    endpoints.Add(HeadFor(get));
                    taken.Add(HttpMethods.Head);
                }
                var allow = string.Join(", ", taken.Order(StringComparer.Ordinal));
                var first = route.First();
                // Whoever may not call the route learns nothing more from it (401 before 405); the webhook stays open to all.
                var access = first.Metadata.Where(m => m is IAuthorizeData or IAllowAnonymous or AuthorizationPolicy);
                endpoints.Add(new RouteEndpoint(
                    context => RefuseAsync(context, taken, allow),
                    first.RoutePattern,
                    // After the route's own endpoints, which win for the methods they take.
                    route.Max(e => e.Order) + 1,
                    new EndpointMetadataCollection([.. access, new SkipStatusCodePagesAttribute()]),
                    $"405 {first.RoutePattern.RawText}"));
            }
            return endpoints;
        }

        /// <summary>
        /// The GET endpoint itself (its authorization, its handler) for HEAD. Left out of the OpenAPI description, which
        /// would otherwise list every GET twice.
        /// </summary>
        static RouteEndpoint HeadFor(RouteEndpoint get) => new(
            get.RequestDelegate!,
            get.RoutePattern,
            get.Order,
            new EndpointMetadataCollection([
                .. get.Metadata.Where(m => m is not IHttpMethodMetadata),
                new HttpMethodMetadata([HttpMethods.Head]),
                new ExcludeFromDescriptionAttribute(),
            ]),
            $"HEAD {get.RoutePattern.RawText}");

        static Task RefuseAsync(HttpContext context, List<string> taken, string allow)
        {
            // A method the route takes comes here only when the route's endpoint refused the body's content type: routing
            // would have said 415 had this endpoint, taking any method, not matched as well.
            if (taken.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            else
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = allow;
            }
            return ApiProblems.WriteAsync(context);
        }
    }
}
