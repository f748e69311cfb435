using CodeQuiz.Core.Quizzes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodeQuiz.Web.Organizers;

/// <summary>/api/events: create, list, edit, delete, new presenter link.</summary>
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
        ApiResults.Ok(await catalog.UpdateEventAsync(id, input, cancellationToken), EventResponse.From);

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.NoContent(await catalog.DeleteEventAsync(id, cancellationToken));

    static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> RegeneratePresenterTokenAsync(int id, QuizCatalog catalog, CancellationToken cancellationToken) =>
        ApiResults.Ok(await catalog.RegeneratePresenterTokenAsync(id, cancellationToken), EventResponse.From);
}
