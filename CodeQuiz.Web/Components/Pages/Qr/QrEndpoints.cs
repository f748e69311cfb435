using CodeQuiz.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using CodeQuiz.Web.Organizers;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Web.Components.Pages.Qr;

/// <summary>
/// Print-resolution QR downloads for organizers: GET /qr/questions/{id}.png|.svg and
/// GET /qr/events/{id}/register.png|.svg (team registration, ?start=register).
/// </summary>
public static class QrEndpoints
{
    public static string QuestionPath(int questionId, string extension) => $"/qr/questions/{questionId}.{extension}";

    public static string RegistrationPath(int eventId, string extension) => $"/qr/events/{eventId}/register.{extension}";

    public static RouteGroupBuilder MapQrCodes(this IEndpointRouteBuilder app)
    {
        // Cookie or bearer token, like the API: a script can download the codes it made.
        // HEAD as GET (link checkers, curl -I) and 405 for other methods, as the API: unmarked, the static files' catch-all
        // took HEAD and found nothing.
        var group = app.MapGroup("/qr").RequireAuthorization(OrganizerSetup.DownloadPolicy).WithTags("QR codes").AnswersWrongMethods();
        group.MapGet("/questions/{questionId:int}.png", (int questionId, IDbContextFactory<QuizDbContext> db, BotLinks links, CancellationToken ct) =>
            QuestionAsync(questionId, "png", db, links, ct));
        group.MapGet("/questions/{questionId:int}.svg", (int questionId, IDbContextFactory<QuizDbContext> db, BotLinks links, CancellationToken ct) =>
            QuestionAsync(questionId, "svg", db, links, ct));
        group.MapGet("/events/{eventId:int}/register.png", (int eventId, IDbContextFactory<QuizDbContext> db, BotLinks links, CancellationToken ct) =>
            RegistrationAsync(eventId, "png", db, links, ct));
        group.MapGet("/events/{eventId:int}/register.svg", (int eventId, IDbContextFactory<QuizDbContext> db, BotLinks links, CancellationToken ct) =>
            RegistrationAsync(eventId, "svg", db, links, ct));
        // A script's mistakes get a reason rather than the console's "not found" page: an id too large to be one, as the
        // API answers it, and another picture format. After the routes above (Order), which the same addresses match too.
        group.MapGet($"/questions/{{questionId:{UnknownIds.Constraint}(int)}}.{{format}}", (string questionId) =>
            TypedResults.Problem($"There is no question {questionId}.", statusCode: StatusCodes.Status404NotFound)).WithOrder(1).ExcludeFromDescription();
        group.MapGet($"/events/{{eventId:{UnknownIds.Constraint}(int)}}/register.{{format}}", (string eventId) =>
            TypedResults.Problem($"There is no event {eventId}.", statusCode: StatusCodes.Status404NotFound)).WithOrder(1).ExcludeFromDescription();
        group.MapGet("/questions/{questionId:int}.{format}", (string format) => OtherFormat(format)).WithOrder(2).ExcludeFromDescription();
        group.MapGet("/events/{eventId:int}/register.{format}", (string format) => OtherFormat(format)).WithOrder(2).ExcludeFromDescription();
        // The code printed under a QR code is what an organizer has at hand, but the downloads go by id; and any other
        // address under /qr is a mistyped one. Both get the addresses that work, not the console's page.
        group.MapGet("/questions/{questionId}.{format}", (string questionId) =>
            NotFound($"\"{questionId}\" is not a question id: a QR code downloads by the question's id, a whole number (not its code). {Addresses}"))
            .WithOrder(3).ExcludeFromDescription();
        group.MapGet("/events/{eventId}/register.{format}", (string eventId) =>
            NotFound($"\"{eventId}\" is not an event id, a whole number. {Addresses}")).WithOrder(3).ExcludeFromDescription();
        group.MapGet("/{**rest}", () => NotFound($"There is no QR code at this address. {Addresses}")).WithOrder(4).ExcludeFromDescription();
        return group;
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> QuestionAsync(
        int questionId, string format, IDbContextFactory<QuizDbContext> factory, BotLinks links, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var question = await db.Questions.AsNoTracking()
            .Where(q => q.Id == questionId)
            .Select(q => new { q.Code, q.Position })
            .FirstOrDefaultAsync(ct);
        if (question is null)
            return TypedResults.Problem($"There is no question {questionId}.", statusCode: StatusCodes.Status404NotFound);
        return Image(links.ForQuestion(question.Code), format, $"question-{question.Position}-{question.Code}");
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RegistrationAsync(
        int eventId, string format, IDbContextFactory<QuizDbContext> factory, BotLinks links, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Events.AnyAsync(e => e.Id == eventId, ct))
            return TypedResults.Problem($"There is no event {eventId}.", statusCode: StatusCodes.Status404NotFound);
        return Image(links.ForRegistration(), format, "team-registration");
    }

    const string Addresses = "QR codes download from /qr/questions/{id}.png or .svg and /qr/events/{id}/register.png or .svg; " +
        "the QR sheet of an event links to each.";

    static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    static ProblemHttpResult OtherFormat(string format) =>
        TypedResults.Problem($"QR codes download as .png or .svg, not .{format}.", statusCode: StatusCodes.Status404NotFound);

    static FileContentHttpResult Image(string link, string format, string name) => format == "svg"
        ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(QrCodes.Svg(link)), "image/svg+xml", $"codequiz-{name}.svg")
        : TypedResults.File(QrCodes.Png(link), "image/png", $"codequiz-{name}.png");
}
