using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web;

/// <summary>Opening, closing and starting over, which go through the ingest pipeline, are told to console pages open elsewhere.</summary>
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
        for (var waited = 0; waited < 5000 && Told() < 3; waited += 20)
            await Task.Delay(20);
        await Task.Delay(200);
        lock (told)
            Assert.Equal(Enumerable.Repeat(new CatalogChanged(quizEvent.Id, EventItself: false), 3), told);

        int Told()
        {
            lock (told) return told.Count;
        }
    }
}
