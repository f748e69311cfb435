using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodeQuiz.Web.Organizers;

/// <summary>/api/events: create, list, edit, delete, new presenter link, channel check, start over.</summary>
public static class EventEndpoints
{
    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder api)
    {
        var events = api.MapGroup("/events").WithTags("Events");
        events.MapGet("", ListAsync);
        events.MapPost("", CreateAsync);
        events.MapGet("/{id:int}", GetAsync);
        events.MapPut("/{id:int}", UpdateAsync);
        events.MapDelete("/{id:int}", DeleteAsync);
        events.MapPost("/{id:int}/presenter-token", RegeneratePresenterTokenAsync);
        events.MapGet("/{id:int}/channel-check", CheckChannelAsync);
        events.MapPost("/{id:int}/start-over", StartOverAsync);
        return api;
    }

    static async Task<Ok<List<EventResponse>>> ListAsync(QuizCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.ListEventsAsync(cancellationToken)).Select(EventResponse.From).ToList());

    static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> GetAsync(int id, QuizCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.GetEventAsync(id, cancellationToken) is { } quizEvent
            ? TypedResults.Ok(EventResponse.From(quizEvent))
            : ApiResults.NotFound($"There is no event {id}.");

    static async Task<Results<Created<EventResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(EventInput input, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.Created(await catalog.CreateEventAsync(input, cancellationToken), EventResponse.From, e => $"/api/events/{e.Id}");

    static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(int id, EventInput input, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.Ok(await catalog.UpdateEventAsync(id, input, cancellationToken: cancellationToken), EventResponse.From);

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.NoContent(await catalog.DeleteEventAsync(id, cancellationToken));

    /// <summary>Asks Telegram whether the bot can post to the event's saved channel (the console's "Check" button).</summary>
    static async Task<Results<Ok<ChannelCheckResponse>, ProblemHttpResult>> CheckChannelAsync(int id, QuizCatalog catalog, ChannelCheck check, CancellationToken cancellationToken)
    {
        if (await catalog.GetEventAsync(id, cancellationToken) is not { } quizEvent)
            return ApiResults.NotFound($"There is no event {id}.");
        if (quizEvent.ChannelId is not { Length: > 0 } channel)
            return ApiResults.Conflict($"Event {id} has no results channel to check; set its channelId first.");
        var result = await check.CheckAsync(channel, cancellationToken);
        return TypedResults.Ok(new ChannelCheckResponse(channel, result.CanPost, result.Message));
    }

    /// <summary>After a rehearsal: the event's answers are deleted and its questions are drafts again, codes kept.</summary>
    static async Task<Results<Ok<EventStartedOver>, ProblemHttpResult>> StartOverAsync(int id, IQuizLifecycle lifecycle, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await lifecycle.StartOverAsync(id, cancellationToken));
        }
        catch (QuestionStateException e)
        {
            return ApiResults.Conflict(e.Message);
        }
        catch (KeyNotFoundException)
        {
            return ApiResults.NotFound($"There is no event {id}.");
        }
    }

    static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> RegeneratePresenterTokenAsync(int id, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.Ok(await catalog.RegeneratePresenterTokenAsync(id, cancellationToken), EventResponse.From);
}
