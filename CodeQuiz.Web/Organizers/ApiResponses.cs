using CodeQuiz.Core.Quizzes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodeQuiz.Web.Organizers;

/// <summary>An event as the API returns it.</summary>
public sealed record EventResponse(int Id, string Name, string Language, string? ChannelId, ScoringMode Scoring, string PresenterToken, DateTimeOffset CreatedAt)
{
    public static EventResponse From(QuizEvent e) => new(e.Id, e.Name, e.Language, e.ChannelId, e.Scoring, e.PresenterToken, e.CreatedAt);
}

/// <summary>
/// A question as the API returns it; <see cref="Code"/> is the deep-link code (t.me/bot?start=CODE).
/// <see cref="CorrectOption"/> counts from 0; <see cref="CorrectAnswerText"/> says in words what the bot takes as right.
/// </summary>
public sealed record QuestionResponse(
    int Id, int EventId, int Position, string Code, string Prompt, QuestionKind Kind,
    IReadOnlyList<string> AcceptedAnswers, IReadOnlyList<string> Options, int? CorrectOption,
    double? NumericAnswer, double? Tolerance, int? TimeLimitSeconds, bool ShowPromptOnPresenter,
    QuestionState State, DateTimeOffset? OpenedAt, DateTimeOffset? ClosedAt, int ExtraSeconds, DateTimeOffset? Deadline,
    string CorrectAnswerText)
{
    public static QuestionResponse From(Question q) => new(
        q.Id, q.EventId, q.Position, q.Code, q.Prompt, q.Kind, q.AcceptedAnswers, q.Options, q.CorrectOption,
        q.NumericAnswer, q.Tolerance, q.TimeLimitSeconds, q.ShowPromptOnPresenter, q.State, q.OpenedAt, q.ClosedAt,
        q.ExtraSeconds, q.Deadline, q.CorrectAnswerText);
}

public sealed record ReorderRequest(IReadOnlyList<int>? QuestionIds);

/// <summary>
/// POST /api/questions/{id}/extend: seconds to add to an open question's time; optionally the <c>extraSeconds</c> the
/// question had when read, so that a co-host's extend that came first is not added to (409 instead).
/// </summary>
public sealed record ExtendRequest(int? Seconds, int? ExpectedExtraSeconds = null);

/// <summary>What Telegram said about the event's channel: whether the bot can post there, and if not what to fix.</summary>
public sealed record ChannelCheckResponse(string ChannelId, bool CanPost, string Message);

/// <summary>Catalog outcomes as HTTP: field errors → 400 validation problem, unknown → 404, wrong state → 409.</summary>
static class ApiResults
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not allowed in this state", detail: detail);

    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Some fields are not valid.");

    public static Results<Ok<TOut>, ValidationProblem, ProblemHttpResult> Ok<T, TOut>(CatalogResult<T> result, Func<T, TOut> map) =>
        result.Outcome switch
        {
            CatalogOutcome.Done => TypedResults.Ok(map(result.Value!)),
            CatalogOutcome.Invalid => Invalid(result.Errors),
            _ => Problem(result),
        };

    public static Results<Created<TOut>, ValidationProblem, ProblemHttpResult> Created<T, TOut>(CatalogResult<T> result, Func<T, TOut> map, Func<TOut, string> location) =>
        result.Outcome switch
        {
            CatalogOutcome.Done => TypedResults.Created(location(map(result.Value!)), map(result.Value!)),
            CatalogOutcome.Invalid => Invalid(result.Errors),
            _ => Problem(result),
        };

    public static Results<NoContent, ProblemHttpResult> NoContent<T>(CatalogResult<T> result) =>
        result.Succeeded ? TypedResults.NoContent() : Problem(result);

    static ProblemHttpResult Problem<T>(CatalogResult<T> result) => result.Outcome == CatalogOutcome.Conflict
        ? Conflict(result.Message ?? "")
        : NotFound(result.Message ?? "");
}
