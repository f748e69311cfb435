using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CodeQuiz.Tests.Web;

/// <summary>Opening, closing, extending and starting over, which go through the ingest pipeline, are told to console pages open elsewhere.</summary>
public class LifecycleChangesTests
{
    [Fact]
    public async Task OpeningClosingAndStartingOverAreToldOnceEachWithTheirEvent()
    {
        await using var factory = new CodeQuizFactory();
        var (quizEvent, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("LIFE0001", "go"));
        var told = new List<CatalogChanged>();
        using var subscription = factory.Services.GetRequiredService<CatalogChanges>().Subscribe(change =>
        {
            lock (told) told.Add(change);
            return Task.CompletedTask;
        });
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();

        await lifecycle.OpenAsync(questions[0].Id);
        await lifecycle.CloseAsync(questions[0].Id);
        await lifecycle.StartOverAsync(quizEvent.Id);

        // Subscribers are called off the caller's thread: wait for the third, then for anything more.
        for (var waited = 0; waited < 15_000 && Told() < 3; waited += 20)
            await Task.Delay(20);
        await Task.Delay(200);
        // The Start over says so: the rehearsal's crowd counts afresh from it.
        lock (told)
            Assert.Equal([new CatalogChanged(quizEvent.Id, EventItself: false), new CatalogChanged(quizEvent.Id, EventItself: false),
                new CatalogChanged(quizEvent.Id, EventItself: false, StartedOver: true)], told.OrderBy(c => c.StartedOver));

        int Told()
        {
            lock (told) return told.Count;
        }
    }

    [Fact]
    public async Task AHostsExtraSecondsAndATimedQuestionClosingItselfAreToldToo()
    {
        // Closed by its time limit, no organizer clicked anything: an event page open elsewhere showed it open until reloaded.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 15, 18, 0, 0, TimeSpan.Zero));
        await using var factory = new CodeQuizFactory { ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)) };
        var timed = Seed.FreeText("LIFE0002", "go");
        timed.TimeLimitSeconds = 30;
        var (quizEvent, questions) = await Seed.EventAsync(factory.Services, null, timed);
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        await lifecycle.OpenAsync(questions[0].Id);
        var told = new List<CatalogChanged>();
        using var subscription = factory.Services.GetRequiredService<CatalogChanges>().Subscribe(change =>
        {
            lock (told) told.Add(change);
            return Task.CompletedTask;
        });

        await lifecycle.ExtendAsync(questions[0].Id, 30);
        for (var waited = 0; waited < 15_000 && Told() < 1; waited += 20)
            await Task.Delay(20);
        time.Advance(TimeSpan.FromSeconds(60 + 3 + 1)); // past the time limit, the extra seconds and the grace
        for (var waited = 0; waited < 15_000 && Told() < 2; waited += 20)
            await Task.Delay(20);
        await Task.Delay(200);

        lock (told)
            Assert.Equal(Enumerable.Repeat(new CatalogChanged(quizEvent.Id, EventItself: false), 2), told);

        int Told()
        {
            lock (told) return told.Count;
        }
    }
}
