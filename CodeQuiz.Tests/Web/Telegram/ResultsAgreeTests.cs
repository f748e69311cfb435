using AngleSharp.Html.Parser;
using Bunit;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Components.Pages.Live;
using CodeQuiz.Web.Components.Pages.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace CodeQuiz.Tests.Web.Telegram;

/// <summary>
/// The channel's results post is written from the pipeline's memory, the console, the projector and the API from the
/// database: for the same answers they must say the same thing.
/// </summary>
public class ResultsAgreeTests : IAsyncLifetime
{
    const string Secret = "agree-secret";
    readonly CodeQuizFactory _factory = new();
    // A clock that, like a real one, is not on a whole millisecond: the question opens at 18:00:00.2504.
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 15, 18, 0, 0, TimeSpan.Zero).AddTicks(2_504_000));

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _factory.ConfigureServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    IQuizLifecycle Lifecycle => _factory.Services.GetRequiredService<IQuizLifecycle>();

    async Task<string> ResultsPostAsync(int questionId)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        return (await db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelResults && m.QuestionId == questionId)).Text!;
    }

    [Fact]
    public async Task TheResultsPostShowsTheDelaysTheConsoleAndTheProjectorShow()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Agree1aaaa", "go"));
        var id = questions[0].Id;
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        await Lifecycle.OpenAsync(id);
        await telegram.SendAsync(81, "/start Agree1aaaa", "Ada");
        // Telegram dates the answer 18:00:05, in whole seconds: 4.7496 s after the opening, 4.750 s as the database keeps it.
        _time.SetUtcNow(new DateTimeOffset(2026, 10, 15, 18, 0, 5, TimeSpan.Zero));
        await telegram.SendAsync(81, "go", "Ada");
        await Lifecycle.CloseAsync(id);

        var ranking = (await _factory.Services.GetRequiredService<QuizResults>().GetQuestionResultsAsync(id))!.Ranking;
        var shown = QuizFormat.Delays([.. ranking.Select(r => (double?)r.DelaySeconds)], QuizFormat.English); // live page, results page, projector
        Assert.Equal(["4.8 s"], shown);
        Assert.Contains("🥇 Ada — 4.8 s", await ResultsPostAsync(id));
    }

    [Fact]
    public async Task TheResultsPostShowsThePercentCorrectTheLivePageShows()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Agree2aaaa", "go"));
        var id = questions[0].Id;
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        await Lifecycle.OpenAsync(id);
        // 5 right of 11: 45.45%, which is 45%, though one decimal first would make it 45.5, then 46%.
        for (var user = 1; user <= 11; user++)
        {
            await telegram.SendAsync(100 + user, "/start Agree2aaaa", $"P{user}");
            await telegram.SendAsync(100 + user, user <= 5 ? "go" : "rust", $"P{user}");
        }
        await Lifecycle.CloseAsync(id);

        var live = _factory.Services.GetRequiredService<LiveStats>().Current.For(id)!;
        Assert.Equal("45%", QuizFormat.Percent(live.PercentCorrect)); // the live page, as the answers come in
        var results = (await _factory.Services.GetRequiredService<QuizResults>().GetQuestionResultsAsync(id))!;
        Assert.Equal(45.5, results.PercentCorrect); // the API's, with one decimal
        Assert.Equal("45%", QuizFormat.Percent(results.Correct, results.TotalAnswers)); // the results page, and the live page after a restart
        Assert.Contains("<b>45%</b>", await ResultsPostAsync(id));
    }

    [Fact]
    public async Task AThirdPlaceAFewMillisecondsAheadOfTheFourthReadsTheSameOnTheConsoleTheProjectorAndInTheChannel()
    {
        var (quizEvent, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.Choice("Agree3aaaa", 1, "while", "for", "goto"));
        var id = questions[0].Id;
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        await Lifecycle.OpenAsync(id);
        // A button press is timed when it arrives, to the millisecond: the 3rd at 6.214 s, the 4th 4 ms later.
        var opened = _time.GetUtcNow();
        double[] delays = [5, 6, 6.214, 6.218, 9];
        for (var place = 0; place < delays.Length; place++)
        {
            _time.SetUtcNow(opened.AddMilliseconds(delays[place] * 1000));
            await telegram.PostAsync(telegram.Button(200 + place, "a:Agree3aaaa:1", firstName: $"P{place + 1}"));
        }
        await Lifecycle.CloseAsync(id);

        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddFallbackServiceProvider(_factory.Services);
        var console = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await console.WaitForAssertionAsync(() => Assert.Equal(5, console.FindAll("[data-testid=ranking-list] li").Count), TimeSpan.FromSeconds(15));
        var onConsole = console.FindAll("[data-testid=ranking-list] .delay").Select(d => d.TextContent).ToList();
        var page = await _factory.CreateClient().GetStringAsync($"/present/{quizEvent.PresenterToken}");
        var onProjector = new HtmlParser().ParseDocument(page).QuerySelector("[data-testid=place-3] .secs")?.TextContent;

        Assert.Equal("6.21 s", onConsole[2]);
        Assert.Equal("6.21 s", onProjector);
        Assert.Contains("🥉 P3 — 6.21 s", await ResultsPostAsync(id));
        Assert.Equal("6.0 s", onConsole[1]); // told apart from the 3rd by tenths, everywhere
        Assert.Contains("🥈 P2 — 6.0 s", await ResultsPostAsync(id));
    }

    [Fact]
    public async Task ALeaderboardPlaceAFewMillisecondsAheadOfTheNextReadsTheSameOnTheConsoleAndTheProjector()
    {
        var (quizEvent, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.Choice("Agree4aaaa", 1, "while", "for", "goto"));
        var id = questions[0].Id;
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        await Lifecycle.OpenAsync(id);
        // The projector shows eight places; the 8th is 4 ms ahead of the 9th, whom only the console shows.
        var opened = _time.GetUtcNow();
        double[] delays = [1, 2, 3, 4, 5, 6, 7, 8.214, 8.218];
        for (var place = 0; place < delays.Length; place++)
        {
            _time.SetUtcNow(opened.AddMilliseconds(delays[place] * 1000));
            await telegram.PostAsync(telegram.Button(300 + place, "a:Agree4aaaa:1", firstName: $"P{place + 1}"));
        }
        await Lifecycle.CloseAsync(id);
        _time.Advance(TimeSpan.FromMinutes(1)); // the podium has been shown: the projector shows the leaderboard

        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddFallbackServiceProvider(_factory.Services);
        ctx.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var console = ctx.Render<ResultsPage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await console.WaitForAssertionAsync(() => Assert.Equal(9, console.FindAll("[data-testid=leaderboard] tbody tr").Count), TimeSpan.FromSeconds(15));
        var onConsole = console.FindAll("[data-testid=leaderboard] tbody tr").Select(r => r.QuerySelectorAll("td")[4].TextContent).ToList();
        var page = await _factory.CreateClient().GetStringAsync($"/present/{quizEvent.PresenterToken}");
        var onProjector = new HtmlParser().ParseDocument(page).QuerySelectorAll("[data-testid=leaderboard] .secs").Select(s => s.TextContent).ToList();

        Assert.Equal(8, onProjector.Count);
        Assert.Equal("8.21 s", onConsole[7]);
        Assert.Equal(onConsole.Take(8), onProjector);
    }
}
