namespace CodeQuiz.Web;

public static class SecurityHeaders
{
    static readonly PathString TelegramPrefix = "/telegram";

    /// <summary>
    /// Headers on every response: no content sniffing, no address (a presenter token, a question's page) in the Referer
    /// sent to other sites, and the console never shown inside another site's frame, where a hidden page could have an
    /// organizer click Close. The presenter and its overlay may be framed: web-based streaming studios embed them, and
    /// they have nothing to click.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Telegram reads none of them: its webhook, the hot path, is spared a callback per update.
            if (context.Request.Path.StartsWithSegments(TelegramPrefix))
                return next(context);
            // On starting, so the error and not-found pages, which clear the response and start it again, keep them.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                // Same-origin rather than no-referrer: browsers then still send Origin on the console's own form posts.
                headers["Referrer-Policy"] = "same-origin";
                if (!context.Request.Path.StartsWithSegments("/present"))
                {
                    headers.XFrameOptions = "DENY";
                    headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
