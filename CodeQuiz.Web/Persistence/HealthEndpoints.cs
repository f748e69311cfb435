using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Live;
using CodeQuiz.Web.Organizers;

namespace CodeQuiz.Web;

public static class HealthEndpoints
{
    /// <summary>
    /// GET /healthz: 200 once the database is migrated and the pipeline runs; 503 while updates cannot be stored, or are
    /// not taken because Telegram has not confirmed the bot's token (a monitor must not say the show runs then).
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // HEAD too: uptime monitors often ask with HEAD, and a 404 would report the show as down.
        app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], (LiveStats live, BotAdoption adoption) =>
                live.Storage.Current is { } trouble
                ? Results.Problem(statusCode: 503, title: "Updates cannot be stored",
                    // Anyone may ask: the reason itself is for organizers, on the bot status page.
                    detail: $"Storing updates has failed since {trouble.Since:O}; the console's bot status page says why.")
                : !adoption.IsSettled
                ? Results.Problem(statusCode: 503, title: "Waiting for Telegram to confirm the bot",
                    detail: "No update is taken until Telegram confirms Telegram:BotToken; the console's bot status page says why.")
                : Results.Text("ok"))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute()).AllowAnonymous()
            .AnswersWrongMethods(); // a POST learns why it got 405, not an empty body
        return app;
    }
}
