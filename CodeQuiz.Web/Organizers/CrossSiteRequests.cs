namespace CodeQuiz.Web.Organizers;

/// <summary>
/// The console's cookie opens the API too, and a browser sends it with a form another page posts to us: SameSite=Lax
/// keeps other sites' forms out, but not those of a neighbouring subdomain (a page on events.example.org posting to
/// quiz.example.org/api/questions/7/close). A change through the API with the cookie must come from this site's own pages;
/// a bearer token is never sent by a browser on its own, and a script with a cookie sends no Sec-Fetch-Site or Origin.
/// </summary>
public static class CrossSiteRequests
{
    public static async ValueTask<object?> RefuseAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || ApiProblems.SentBearerToken(context)
            || FromThisSite(context.Request))
            return await next(invocation);
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sent from another site",
            detail: "Changes through the API with the console's cookie are taken only from the console's own pages; scripts sign in with POST /api/auth/login.");
    }

    static bool FromThisSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
            return site is "same-origin" or "none";
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
