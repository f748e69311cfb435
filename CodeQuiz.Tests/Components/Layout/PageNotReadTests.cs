using Bunit;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Web.Components.Layout;
using CodeQuiz.Web.Components.Pages.Bot;
using CodeQuiz.Web.Components.Pages.Events;
using CodeQuiz.Web.Components.Pages.Live;
using CodeQuiz.Web.Components.Pages.Qr;
using CodeQuiz.Web.Components.Pages.Results;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MudBlazor.Services;

namespace CodeQuiz.Tests.Components.Layout;

/// <summary>
/// A console page opened (or reloaded) while the database does not answer, as with a server restarting: the page says so
/// in place, with what the database answered, rather than "This page ran into a problem", and shows once it answers.
/// </summary>
public class PageNotReadTests : ConsoleTestBase
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task TheEventListSaysTheDatabaseDidNotAnswerAndTryAgainShowsTheEvents()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = NewContext();
        await AwayAsync("Events");

        var cut = RenderAsTheConsoleDoes<EventList>(ctx);

        await SaysNotReadAsync(cut, "The events could not be read: SQLite Error 1: 'no such table: Events'.");
        await BackAsync("Events");
        await TryAgainAsync(cut);
        await cut.WaitForElementAsync($"[data-testid=event-{quizEvent.Id}]", Wait);
        Assert.Empty(cut.FindAll("[data-testid=page-not-read]"));
    }

    [Fact]
    public async Task TheEventPageSaysTheDatabaseDidNotAnswerUntilATryAgainItAnswers()
    {
        var quizEvent = await SeedEventAsync(FreeText("First?"));
        await using var ctx = NewContext();
        await AwayAsync("Questions");

        var cut = RenderAsTheConsoleDoes<EventPage>(ctx, quizEvent.Id);

        await SaysNotReadAsync(cut, "The event could not be read: SQLite Error 1: 'no such table: Questions'.");
        await TryAgainAsync(cut); // still not answering: said again, still in place
        await SaysNotReadAsync(cut, "The event could not be read: SQLite Error 1: 'no such table: Questions'.");
        await BackAsync("Questions");
        await TryAgainAsync(cut);
        await cut.WaitForAssertionAsync(() => Assert.Contains("First?", cut.Find("[data-testid=question-1]").TextContent), Wait);
        Assert.Equal("Code Week final", cut.Find("[data-testid=event-title]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=page-not-read]"));
    }

    [Fact]
    public async Task AnEventThatDoesNotExistIsStillNotFoundOnceTheDatabaseAnswers()
    {
        await using var ctx = NewContext();
        await AwayAsync("Events");

        var cut = RenderAsTheConsoleDoes<EventPage>(ctx, 4242);

        await SaysNotReadAsync(cut, "The event could not be read");
        await BackAsync("Events");
        await TryAgainAsync(cut);
        await cut.WaitForAssertionAsync(() => Assert.Equal("There is no such event.", Assert.Single(cut.FindAll("h1")).TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task TheLivePageSaysTheDatabaseDidNotAnswerAndShowsByItselfOnceItAnswers()
    {
        var open = FreeText("Which keyword declares a constant in C#?", "const");
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open, FreeText());
        await using var ctx = NewContext();
        await AwayAsync("Questions");

        var cut = RenderAsTheConsoleDoes<LivePage>(ctx, quizEvent.Id);

        await SaysNotReadAsync(cut, "The live page could not be read: SQLite Error 1: 'no such table: Questions'. The page tries again every few seconds.");
        Live.Publish(new LiveSnapshot(Time.GetUtcNow(), [new LiveQuestion(open.Id, quizEvent.Id, 7, 7, 7, 5, 0, 0)], [], 0, 0)); // answers keep coming
        await BackAsync("Questions");
        for (var i = 0; i < 5; i++) Time.Advance(TimeSpan.FromSeconds(1)); // the page reads again every five seconds
        await cut.WaitForElementAsync("[data-testid=close-selected]", Wait);
        Assert.Equal("7", cut.Find("[data-testid=answer-count]").TextContent); // the counts of now
        Assert.Equal(2, cut.FindAll("li.live-question").Count);
        Assert.Empty(cut.FindAll("[data-testid=page-not-read]"));
        Assert.Empty(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }

    [Fact]
    public async Task TheLivePagesTryAgainShowsItWithoutWaitingForTheNextReading()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = NewContext();
        await AwayAsync("Events");

        var cut = RenderAsTheConsoleDoes<LivePage>(ctx, quizEvent.Id);

        await SaysNotReadAsync(cut, "The live page could not be read: SQLite Error 1: 'no such table: Events'.");
        await BackAsync("Events");
        await TryAgainAsync(cut);
        await cut.WaitForElementAsync("[data-testid=open-selected]", Wait);
    }

    [Fact]
    public async Task TheResultsPageSaysTheDatabaseDidNotAnswerAndTryAgainShowsTheResults()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = NewContext();
        await AwayAsync("Events");

        var cut = RenderAsTheConsoleDoes<ResultsPage>(ctx, quizEvent.Id);

        await SaysNotReadAsync(cut, "The results could not be read: SQLite Error 1: 'no such table: Events'.");
        await BackAsync("Events");
        await TryAgainAsync(cut);
        await cut.WaitForElementAsync("[data-testid=no-leaderboard]", Wait);
        Assert.Contains("Results: Code Week final", cut.Find("h1").TextContent);
    }

    [Fact]
    public async Task TheBotStatusPageSaysTheDatabaseDidNotAnswerAndShowsByItselfOnceItAnswers()
    {
        await using var ctx = NewContext();
        ctx.Services.GetRequiredService<OutboxCounters>().Reset(pending: 3, failed: 0, sent: 1);
        await AwayAsync("DeadLetters");

        var cut = RenderAsTheConsoleDoes<BotStatusPage>(ctx);

        await SaysNotReadAsync(cut, "The bot's status could not be read: SQLite Error 1: 'no such table: DeadLetters'. The page tries again every few seconds.");
        await BackAsync("DeadLetters");
        Time.Advance(TimeSpan.FromSeconds(5));
        await cut.WaitForAssertionAsync(() => Assert.Equal("3", cut.Find("[data-testid=outbox-pending]").TextContent), Wait);
        Assert.NotNull(cut.Find("[data-testid=no-dead-letters]"));
        Assert.Empty(cut.FindAll("[data-testid=page-not-read]"));
    }

    [Fact]
    public async Task TheQrSheetSaysTheDatabaseDidNotAnswerAndTryAgainShowsTheCodes()
    {
        var quizEvent = await SeedEventAsync(FreeText(), FreeText());
        await using var ctx = NewContext();
        await AwayAsync("Questions");

        var cut = RenderAsTheConsoleDoes<QrSheet>(ctx, quizEvent.Id);

        await SaysNotReadAsync(cut, "The QR codes could not be read: SQLite Error 1: 'no such table: Questions'.");
        await BackAsync("Questions");
        await TryAgainAsync(cut);
        await cut.WaitForElementAsync("[data-testid=qr-question-2]", Wait);
        Assert.Empty(cut.FindAll("[data-testid=page-not-read]"));
    }

    [Fact]
    public async Task TheQuestionEditorSaysTheDatabaseDidNotAnswerAndTryAgainShowsTheQuestion()
    {
        var question = FreeText("First?");
        await SeedEventAsync(question);
        await using var ctx = NewContext();
        await AwayAsync("Questions");

        var cut = RenderAsTheConsoleDoes<QuestionEditor>(ctx, questionId: question.Id);

        await SaysNotReadAsync(cut, "The question could not be read: SQLite Error 1: 'no such table: Questions'.");
        await BackAsync("Questions");
        await TryAgainAsync(cut);
        await cut.WaitForAssertionAsync(() => Assert.Equal("First?", cut.Find("#question-prompt").GetAttribute("value")), Wait);
        Assert.Equal("Question 1", Assert.Single(cut.FindAll("h1")).TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=page-not-read]"));
    }

    [Fact]
    public async Task TheNewQuestionEditorSaysTheDatabaseDidNotAnswerAndTryAgainShowsTheForm()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = NewContext();
        await AwayAsync("Events");

        var cut = RenderAsTheConsoleDoes<QuestionEditor>(ctx, quizEvent.Id);

        await SaysNotReadAsync(cut, "The event could not be read: SQLite Error 1: 'no such table: Events'.");
        await BackAsync("Events");
        await TryAgainAsync(cut);
        await cut.WaitForElementAsync("#question-prompt", Wait);
        Assert.Equal("New question", Assert.Single(cut.FindAll("h1")).TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=page-not-read]"));
    }

    [Fact]
    public async Task AQuestionThatDoesNotExistIsStillNotFoundOnceTheDatabaseAnswers()
    {
        await using var ctx = NewContext();
        await AwayAsync("Questions");

        var cut = RenderAsTheConsoleDoes<QuestionEditor>(ctx, questionId: 4242);

        await SaysNotReadAsync(cut, "The question could not be read");
        await BackAsync("Questions");
        await TryAgainAsync(cut);
        await cut.WaitForAssertionAsync(() => Assert.Equal("There is no such question.", Assert.Single(cut.FindAll("h1")).TextContent.Trim()), Wait);
    }

    BunitContext NewContext()
    {
        var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true)); // the results page reads once connected
        return ctx;
    }

    /// <summary>As with a database server restarting: every reading of <paramref name="table"/> fails.</summary>
    Task AwayAsync(string table)
    {
        var rename = $"ALTER TABLE {table} RENAME TO {table}Away"; // a table name of this test's own
        return QueryAsync(db => db.Database.ExecuteSqlRawAsync(rename));
    }

    [Fact]
    public async Task ThePageLogsWhatTheDatabaseAnsweredOnceAndAgainOnlyWhenItAnswersSomethingElse()
    {
        var logs = new CapturingLoggerProvider();
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.Services.AddLogging(b => b.AddProvider(logs));
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        int Logged() => logs.Entries.Count(e => e.Category.EndsWith(nameof(PageNotRead)) && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);

        var cut = ctx.Render<PageNotRead>(p => p.Add(x => x.What, "The live page").Add(x => x.Error, new InvalidOperationException("database is locked")));
        // The live page reads again every 5 s: each failure is a new error with the same answer.
        for (var i = 0; i < 3; i++)
            cut.Render(p => p.Add(x => x.Error, new InvalidOperationException("database is locked")));
        Assert.Equal(1, Logged());

        cut.Render(p => p.Add(x => x.Error, new InvalidOperationException("disk I/O error")));
        Assert.Equal(2, Logged());
    }

    /// <summary>The database answers again.</summary>
    Task BackAsync(string table)
    {
        var rename = $"ALTER TABLE {table}Away RENAME TO {table}";
        return QueryAsync(db => db.Database.ExecuteSqlRawAsync(rename));
    }

    /// <summary>The page in the console's error boundary, which shows "This page ran into a problem" in place of a page that fails.</summary>
    static IRenderedComponent<PageErrorBoundary> RenderAsTheConsoleDoes<TPage>(BunitContext ctx, int? eventId = null, int? questionId = null) where TPage : IComponent
    {
        ctx.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
        });
        return ctx.Render<PageErrorBoundary>(p => p.AddChildContent(b =>
        {
            b.OpenComponent<TPage>(0);
            if (eventId is { } id)
                b.AddAttribute(1, "EventId", id);
            if (questionId is { } question)
                b.AddAttribute(2, "QuestionId", question);
            b.CloseComponent();
        }));
    }

    static async Task SaysNotReadAsync(IRenderedComponent<PageErrorBoundary> cut, string text)
    {
        await cut.WaitForAssertionAsync(() => Assert.Contains(text, cut.Find("[data-testid=page-not-read]").TextContent), Wait);
        Assert.Equal("The database did not answer", Assert.Single(cut.FindAll("h1")).TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
    }

    static async Task TryAgainAsync(IRenderedComponent<PageErrorBoundary> cut)
    {
        await cut.WaitForAssertionAsync(() => Assert.False(cut.Find("[data-testid=page-not-read-again]").HasAttribute("disabled")), Wait);
        await cut.Find("[data-testid=page-not-read-again]").ClickAsync(new());
    }
}
