using CodeQuiz.Core.Quizzes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace CodeQuiz.Web.Organizers;

/// <summary>Questions of an event, the CSV question bank, and opening and closing through the ingest pipeline.</summary>
public static class QuestionEndpoints
{
    public static RouteGroupBuilder MapQuestions(this RouteGroupBuilder api)
    {
        var ofEvent = api.MapGroup("/events/{eventId:int}").WithTags("Questions");
        ofEvent.MapGet("/questions", ListAsync);
        ofEvent.MapPost("/questions", CreateAsync);
        ofEvent.MapPut("/questions/order", ReorderAsync);
        ofEvent.MapGet("/questions.csv", ExportCsvAsync).Produces(StatusCodes.Status200OK, contentType: "text/csv");
        // Any content type is read as the CSV text: curl --data-binary sends application/x-www-form-urlencoded unless told.
        ofEvent.MapPost("/questions.csv", ImportCsvAsync)
            .WithMetadata(new RequestSizeLimitAttribute(Csv.ImportMaxBytes))
            // Described here rather than with Accepts("text/csv"), which would have routing refuse the other content types with a 415.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The question bank CSV itself (see CSV files in docs/api.md).",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                };
                return Task.CompletedTask;
            });

        var questions = api.MapGroup("/questions/{id:int}").WithTags("Questions");
        questions.MapGet("", GetAsync);
        questions.MapPut("", UpdateAsync);
        questions.MapDelete("", DeleteAsync);
        questions.MapPost("/duplicate", DuplicateAsync);
        questions.MapPost("/open", OpenAsync);
        questions.MapPost("/close", CloseAsync);
        questions.MapPost("/reopen", ReopenAsync);
        questions.MapPost("/withdraw", WithdrawAsync);
        questions.MapPost("/extend", ExtendAsync);
        return api;
    }

    static async Task<Results<Ok<List<QuestionResponse>>, ProblemHttpResult>> ListAsync(int eventId, QuizCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.ListQuestionsAsync(eventId, cancellationToken) is { } list
            ? TypedResults.Ok(list.Select(QuestionResponse.From).ToList())
            : ApiResults.NotFound($"There is no event {eventId}.");

    static async Task<Results<Created<QuestionResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(int eventId, QuestionInput input, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.Created(await catalog.CreateQuestionAsync(eventId, input, cancellationToken), QuestionResponse.From, q => $"/api/questions/{q.Id}");

    static async Task<Results<Ok<List<QuestionResponse>>, ValidationProblem, ProblemHttpResult>> ReorderAsync(int eventId, ReorderRequest request, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.Ok(await catalog.ReorderQuestionsAsync(eventId, request.QuestionIds ?? [], cancellationToken), list => list.Select(QuestionResponse.From).ToList());

    static async Task<Results<Ok<QuestionResponse>, ProblemHttpResult>> GetAsync(int id, QuizCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.GetQuestionAsync(id, cancellationToken) is { } question
            ? TypedResults.Ok(QuestionResponse.From(question))
            : ApiResults.NotFound($"There is no question {id}.");

    static async Task<Results<Ok<QuestionResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(int id, QuestionInput input, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.Ok(await catalog.UpdateQuestionAsync(id, input, cancellationToken: cancellationToken), QuestionResponse.From);

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.NoContent(await catalog.DeleteQuestionAsync(id, cancellationToken));

    static async Task<Results<Created<QuestionResponse>, ValidationProblem, ProblemHttpResult>> DuplicateAsync(int id, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.Created(await catalog.DuplicateQuestionAsync(id, cancellationToken), QuestionResponse.From, q => $"/api/questions/{q.Id}");

    /// <summary>
    /// <c>?onlyIfNoneOpen=true</c>: the client saw no other question of the event open, and wants a 409 rather than open a
    /// second one beside one a co-host opened meanwhile. A query, not a body: opening has always been a POST without one.
    /// </summary>
    static Task<Results<Ok<QuestionResponse>, ProblemHttpResult>> OpenAsync(int id, bool? onlyIfNoneOpen, IQuizLifecycle lifecycle, CancellationToken cancellationToken) =>
        TransitionAsync(() => lifecycle.OpenAsync(id, onlyIfNoneOpen ?? false, cancellationToken), id);

    /// <summary>Closing ranks the question and posts the results to the event's channel.</summary>
    static Task<Results<Ok<QuestionResponse>, ProblemHttpResult>> CloseAsync(int id, IQuizLifecycle lifecycle, CancellationToken cancellationToken) =>
        TransitionAsync(() => lifecycle.CloseAsync(id, cancellationToken), id);

    /// <summary>
    /// Undoes a close: answers sent while it was closed count, and the channel's results post says the results follow at
    /// the next close. A 409 when the question is not closed or another question of its event is running.
    /// </summary>
    static Task<Results<Ok<QuestionResponse>, ProblemHttpResult>> ReopenAsync(int id, IQuizLifecycle lifecycle, CancellationToken cancellationToken) =>
        TransitionAsync(() => lifecycle.ReopenAsync(id, cancellationToken), id);

    /// <summary>
    /// Takes back an opening nobody answered yet (opened too early): the question is a draft again, and its channel post
    /// says it was opened too early. A 409 when the question is not open or has an answer: an answer is never thrown away.
    /// </summary>
    static Task<Results<Ok<QuestionResponse>, ProblemHttpResult>> WithdrawAsync(int id, IQuizLifecycle lifecycle, CancellationToken cancellationToken) =>
        TransitionAsync(() => lifecycle.WithdrawAsync(id, cancellationToken), id);

    /// <summary>
    /// The host's "+30 s": more time for an open question with a time limit. With <c>expectedExtraSeconds</c> (the
    /// question's <c>extraSeconds</c> as the client read it) a second organizer's "+30 s" on the same view gets a 409.
    /// </summary>
    static async Task<Results<Ok<QuestionResponse>, ProblemHttpResult, ValidationProblem>> ExtendAsync(int id, ExtendRequest request, IQuizLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (request.Seconds is not (>= 1 and <= QuestionRules.TimeLimitMax) and var given)
            return ApiResults.Invalid(new Dictionary<string, string[]> { ["seconds"] = [$"seconds must be between 1 and {QuestionRules.TimeLimitMax}, not {given?.ToString() ?? "missing"}."] });
        if (request.ExpectedExtraSeconds is { } expected and (< 0 or > QuestionRules.TimeLimitMax))
            return ApiResults.Invalid(new Dictionary<string, string[]> { ["expectedExtraSeconds"] =
                [$"expectedExtraSeconds is the question's extraSeconds as read, between 0 and {QuestionRules.TimeLimitMax}, not {expected}; leave it out to add the time whatever it is."] });
        var outcome = await TransitionAsync(() => lifecycle.ExtendAsync(id, request.Seconds.Value, request.ExpectedExtraSeconds, cancellationToken), id);
        return outcome.Result is Ok<QuestionResponse> ok ? ok : (ProblemHttpResult)outcome.Result;
    }

    static async Task<Results<Ok<QuestionResponse>, ProblemHttpResult>> TransitionAsync(Func<Task<Question>> transition, int id)
    {
        try
        {
            return TypedResults.Ok(QuestionResponse.From(await transition()));
        }
        catch (QuestionStateException e)
        {
            return ApiResults.Conflict(e.Message);
        }
        catch (KeyNotFoundException)
        {
            return ApiResults.NotFound($"There is no question {id}.");
        }
    }

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportCsvAsync(int eventId, QuizCatalog catalog, CancellationToken cancellationToken)
    {
        if (await catalog.GetEventAsync(eventId, cancellationToken) is null)
            return ApiResults.NotFound($"There is no event {eventId}.");
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, Csv.Encoding);
            await catalog.ExportQuestionsCsvAsync(eventId, writer, cancellationToken);
        }, "text/csv; charset=utf-8", $"codequiz-event-{eventId}-questions.csv");
    }

    /// <summary>The body is the CSV itself (Content-Type text/csv); nothing is imported when any line is bad.</summary>
    static async Task<Results<Ok<List<QuestionResponse>>, ValidationProblem, ProblemHttpResult>> ImportCsvAsync(int eventId, HttpRequest request, QuizCatalog catalog, CancellationToken cancellationToken)
    {
        // curl -F, or a FormData: the body's first line is the form's boundary, which would be refused as a missing header.
        if (request.HasFormContentType && !request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "A form, not a CSV body",
                detail: "The question bank came as a form upload; send the CSV file itself as the body: curl --data-binary @bank.csv -H 'Content-Type: text/csv' ….");
        // The limit is in characters, as the console's; the bytes are checked first only when they exceed it in any encoding.
        string? text;
        try
        {
            text = request.ContentLength > Csv.ImportMaxBytes ? null : await Csv.ReadUploadAsync(request.Body, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            text = null; // a body without Content-Length that ran past Csv.ImportMaxBytes
        }
        if (text is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large", detail: Csv.ImportTooLarge);
        var result = await catalog.ImportQuestionsCsvAsync(eventId, new StringReader(text), cancellationToken);
        return ApiResults.Ok(result, list => list.Select(QuestionResponse.From).ToList());
    }
}
