using CodeQuiz.Core.Quizzes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodeQuiz.Web.Organizers;

/// <summary>Results of a question, the event's leaderboards, the answers export, and leaving a participant out of the rankings.</summary>
public static class ResultEndpoints
{
    public static RouteGroupBuilder MapResults(this RouteGroupBuilder api)
    {
        api.MapGet("/questions/{id:int}/results", GetQuestionResultsAsync).WithTags("Results");
        api.MapGet("/events/{eventId:int}/leaderboard", GetLeaderboardAsync).WithTags("Results");
        api.MapGet("/events/{eventId:int}/answers.csv", ExportAnswersAsync).WithTags("Results")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        // The whole ranking for a spreadsheet (the prizes, say): the console and the JSON show the first ones.
        api.MapGet("/events/{eventId:int}/leaderboard.csv", (int eventId, QuizCatalog catalog, QuizResults results, CancellationToken ct, string? separator) =>
            ExportLeaderboardAsync(eventId, teams: false, separator, catalog, results, ct)).WithTags("Results").Produces(StatusCodes.Status200OK, contentType: "text/csv");
        api.MapGet("/events/{eventId:int}/team-leaderboard.csv", (int eventId, QuizCatalog catalog, QuizResults results, CancellationToken ct, string? separator) =>
            ExportLeaderboardAsync(eventId, teams: true, separator, catalog, results, ct)).WithTags("Results").Produces(StatusCodes.Status200OK, contentType: "text/csv");
        // The participant ids are the rankings' participantId: an offensive name kept off podiums, posts and leaderboards.
        api.MapPost("/participants/{id:long}/leave-out", (long id, IQuizLifecycle lifecycle, CancellationToken ct) =>
            ChangeRankingAsync(lifecycle.LeaveOutAsync(id, leaveOut: true, ct), id)).WithTags("Results");
        api.MapPost("/participants/{id:long}/rank-again", (long id, IQuizLifecycle lifecycle, CancellationToken ct) =>
            ChangeRankingAsync(lifecycle.LeaveOutAsync(id, leaveOut: false, ct), id)).WithTags("Results");
        return api;
    }

    static async Task<Results<Ok<RankingChange>, ProblemHttpResult>> ChangeRankingAsync(Task<RankingChange?> change, long id) =>
        await change is { } done ? TypedResults.Ok(done) : ApiResults.NotFound($"There is no participant {id}.");

    /// <summary>?top= sets how many ranked answers come back (default 10).</summary>
    static async Task<Results<Ok<QuestionResults>, ValidationProblem, ProblemHttpResult>> GetQuestionResultsAsync(
        int id, QuizResults results, CancellationToken cancellationToken, int top = QuizResults.DefaultRankingSize)
    {
        if (top is < 0 or > 1000)
            return ApiResults.Invalid(new Dictionary<string, string[]> { ["top"] = ["top must be between 0 and 1000."] });
        return await results.GetQuestionResultsAsync(id, top, cancellationToken) is { } outcome
            ? TypedResults.Ok(outcome)
            : ApiResults.NotFound($"There is no question {id}.");
    }

    /// <summary>?top= sets how many participants and teams come back (default 100).</summary>
    static async Task<Results<Ok<Leaderboard>, ValidationProblem, ProblemHttpResult>> GetLeaderboardAsync(
        int eventId, QuizResults results, CancellationToken cancellationToken, int top = QuizResults.DefaultLeaderboardSize)
    {
        if (top is < 1 or > 100_000)
            return ApiResults.Invalid(new Dictionary<string, string[]> { ["top"] = ["top must be between 1 and 100000."] });
        return await results.GetLeaderboardAsync(eventId, top, cancellationToken) is { } leaderboard
            ? TypedResults.Ok(leaderboard)
            : ApiResults.NotFound($"There is no event {eventId}.");
    }

    /// <summary>?separator=semicolon writes semicolons and decimal commas, for Excel set to Italian, German, French…</summary>
    static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportAnswersAsync(
        int eventId, QuizCatalog catalog, QuizResults results, CancellationToken cancellationToken, string? separator)
    {
        if (StyleOf(separator) is not { } style)
            return WrongSeparator();
        if (await catalog.GetEventAsync(eventId, cancellationToken) is null)
            return ApiResults.NotFound($"There is no event {eventId}.");
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, Csv.Encoding);
            await results.WriteAnswersCsvAsync(eventId, writer, cancellationToken, style);
        }, "text/csv; charset=utf-8", $"codequiz-event-{eventId}-answers.csv");
    }

    static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportLeaderboardAsync(
        int eventId, bool teams, string? separator, QuizCatalog catalog, QuizResults results, CancellationToken cancellationToken)
    {
        if (StyleOf(separator) is not { } style)
            return WrongSeparator();
        if (await catalog.GetEventAsync(eventId, cancellationToken) is null)
            return ApiResults.NotFound($"There is no event {eventId}.");
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, Csv.Encoding);
            await results.WriteLeaderboardCsvAsync(eventId, teams, writer, cancellationToken, style);
        }, "text/csv; charset=utf-8", $"codequiz-event-{eventId}-{(teams ? "team-leaderboard" : "leaderboard")}.csv");
    }

    /// <summary>The style a ?separator= asks for (none: commas), or null for a value that is neither.</summary>
    static CsvStyle? StyleOf(string? separator) => separator?.Trim().ToLowerInvariant() switch
    {
        null or "" or "comma" => CsvStyle.Comma,
        "semicolon" => CsvStyle.Semicolon,
        _ => null,
    };

    static ValidationProblem WrongSeparator() => ApiResults.Invalid(new Dictionary<string, string[]>
    {
        ["separator"] = ["separator must be comma (the default: commas and 1.5) or semicolon (semicolons and 1,5, as Excel set to Italian, German or French opens them)."],
    });
}
