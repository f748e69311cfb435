using CodeQuiz.Core.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Components.Pages.Qr;
using CodeQuiz.Web.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Tests.Web.Live;

public class PresenterFeedTests
{
    [Fact]
    public async Task APodiumReadBeforeALeaveOutAndFinishedAfterItIsNotShownAgain()
    {
        // A projector joining (its view read) while the organizer leaves a participant out and the broadcaster reads the
        // podium again: the joining screen's reading, begun before the leave-out, ends last. The screens must not go back
        // to the podium with the name the organizers took off it, nor keep it until the next leave-out.
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q);
        await seed.AnswerAsync(q, 101, "Rude Name", "42", correct: true, afterSeconds: 2.0);
        await seed.AnswerAsync(q, 102, "Linus", "42", correct: true, afterSeconds: 5.0);
        await seed.AnswerAsync(q, 103, "Grace", "42", correct: true, afterSeconds: 7.5);
        await seed.AnswerAsync(q, 104, "Margaret", "42", correct: true, afterSeconds: 9.0);
        await seed.CloseAsync(q);
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var held = new RankingHeldAfterReading(contexts);
        var live = new LiveStats(TimeProvider.System);
        var feed = new PresenterFeed(held, new QuizResults(held), live, factory.Services.GetRequiredService<BotLinks>(), TimeProvider.System,
            factory.Services.GetRequiredService<IOptionsMonitor<PresenterOptions>>());

        var joining = Task.Run(() => feed.FindAsync(seed.Token));
        await held.Read.WaitAsync(TimeSpan.FromSeconds(10));
        await using (var db = await contexts.CreateDbContextAsync())
            await db.Participants.Where(p => p.Id == 101).ExecuteUpdateAsync(u => u.SetProperty(p => p.LeftOutAt, DateTimeOffset.UtcNow));
        live.RankingsChanged();
        var broadcast = await feed.FindAsync(seed.Token);
        Assert.Equal(["Linus", "Grace", "Margaret"], broadcast!.Podium.Select(p => p.Name));
        held.Release();
        await joining.WaitAsync(TimeSpan.FromSeconds(10));

        var next = await feed.FindAsync(seed.Token);

        Assert.Equal(["Linus", "Grace", "Margaret"], next!.Podium.Select(p => p.Name));
    }

    [Fact]
    public async Task TheLeaderboardFollowsTheScoringModeChangedBetweenQuestions()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0]; // 90 s to answer
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddMinutes(-10));
        await seed.AnswerAsync(q, 101, "Ada", "42", correct: true, afterSeconds: 2.0);
        await seed.CloseAsync(q, DateTimeOffset.UtcNow.AddMinutes(-9));
        var feed = factory.Services.GetRequiredService<PresenterFeed>();
        var before = await feed.FindAsync(seed.Token);
        Assert.Equal((PresenterPhase.Between, ScoringMode.CorrectThenDelay, 1), (before!.Phase, before.Scoring, before.Leaderboard.Single().Points));

        // The organizers switch to speed points in the event's settings: the screen says "pts", and must rank and count them.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            await db.Events.Where(e => e.Id == seed.EventId).ExecuteUpdateAsync(u => u.SetProperty(e => e.Scoring, ScoringMode.SpeedPoints));
        var after = await feed.FindAsync(seed.Token);

        Assert.Equal(ScoringMode.SpeedPoints, after!.Scoring);
        Assert.Equal(QuizResults.SpeedPoints(2000, 90), after.Leaderboard.Single().Points); // 988, not the one right answer
    }

    [Fact]
    public async Task TheLeaderboardTakesTheNumberOfRowsChangedInTheSettingsWhileTheServerRuns()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddMinutes(-10));
        foreach (var (id, name) in new[] { (101, "Ada"), (102, "Linus"), (103, "Grace"), (104, "Margaret") })
            await seed.AnswerAsync(q, id, name, "42", correct: true, afterSeconds: id - 99);
        await seed.CloseAsync(q, DateTimeOffset.UtcNow.AddMinutes(-9));
        var feed = factory.Services.GetRequiredService<PresenterFeed>();
        Assert.Equal(4, (await feed.FindAsync(seed.Token))!.Leaderboard.Count);

        // Between two questions, on a small projector: Presenter:LeaderboardRows lowered in appsettings.json, which is
        // read again when it changes. The screen takes it at once, not after the next question closes.
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        configuration["Presenter:LeaderboardRows"] = "2";
        configuration.Reload();

        Assert.Equal(["Ada", "Linus"], (await feed.FindAsync(seed.Token))!.Leaderboard.Select(r => r.Name));
    }

    [Fact]
    public async Task AQuestionReopenedAndClosedAgainShowsItsNewPodiumAndLeaderboard()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-20));
        await seed.AnswerAsync(q, 101, "Ada", "42", correct: true, afterSeconds: 2.0);
        await seed.CloseAsync(q, DateTimeOffset.UtcNow.AddSeconds(-10)); // too soon: the host was still speaking
        var feed = factory.Services.GetRequiredService<PresenterFeed>();
        Assert.Equal(["Ada"], (await feed.FindAsync(seed.Token))!.Podium.Select(p => p.Name));
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        void PodiumSeconds(int seconds)
        {
            configuration["Presenter:PodiumSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            configuration.Reload();
        }
        PodiumSeconds(0); // the leaderboard, as between questions
        Assert.Equal(["Ada"], (await feed.FindAsync(seed.Token))!.Leaderboard.Select(r => r.Name));
        PodiumSeconds(45);

        await seed.ReopenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-8));
        Assert.Equal(PresenterPhase.Open, (await feed.FindAsync(seed.Token))!.Phase);
        await seed.AnswerAsync(q, 102, "Linus", "42", correct: true, afterSeconds: 14.0);
        await seed.CloseAsync(q);

        var podium = await feed.FindAsync(seed.Token);
        Assert.Equal((PresenterPhase.Closed, 2), (podium!.Phase, podium.Counts.Answers));
        Assert.Equal(["Ada", "Linus"], podium.Podium.Select(p => p.Name));

        // Between questions: the leaderboard counts the answers of the second close too.
        PodiumSeconds(0);
        Assert.Equal(["Ada", "Linus"], (await feed.FindAsync(seed.Token))!.Leaderboard.Select(r => r.Name));
    }

    /// <summary>The first ranking read through it waits, once read and before it is handed back, until released.</summary>
    sealed class RankingHeldAfterReading(IDbContextFactory<QuizDbContext> inner) : IDbContextFactory<QuizDbContext>
    {
        readonly TaskCompletionSource _read = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly ManualResetEventSlim _released = new();
        int _taken;

        public Task Read => _read.Task;

        public void Release() => _released.Set();

        public QuizDbContext CreateDbContext()
        {
            var db = inner.CreateDbContext();
            if (Environment.StackTrace.Contains("GetRankingAsync", StringComparison.Ordinal) && Interlocked.Exchange(ref _taken, 1) == 0)
                db.Database.GetDbConnection().Disposed += (_, _) =>
                {
                    _read.TrySetResult();
                    _released.Wait(TimeSpan.FromSeconds(30));
                };
            return db;
        }

        public Task<QuizDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => Task.FromResult(CreateDbContext());
    }
}
