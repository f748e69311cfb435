using System.Reflection;
using Bunit;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Components.Layout;
using CodeQuiz.Web.Components.Pages.Live;
using CodeQuiz.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Live;

/// <remarks>
/// Every click finds its button and dispatches it in one turn of the page's dispatcher. The live page renders on its own
/// (counts, the chart's tick each second), and a button found just before such a render has no handler after it: bUnit
/// then fails the click ("no event handler with ID").
/// </remarks>
public class LivePageTests : ConsoleTestBase
{
    LiveSnapshot Snapshot(Question question, int answers, int correct = 0, int outboxFailed = 0, params RecentAnswer[] recent) =>
        new(Time.GetUtcNow(), [new LiveQuestion(question.Id, question.EventId, answers, answers, answers, correct, 0, 0)], recent, 0, outboxFailed);

    async Task<(QuizEvent Event, Question Open)> SeedOpenQuestionAsync(int? timeLimitSeconds = null)
    {
        var open = FreeText("Which keyword declares a constant in C#?", "const");
        open.TimeLimitSeconds = timeLimitSeconds;
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open, FreeText());
        return (quizEvent, open);
    }

    [Fact]
    public async Task ListsTheEventsQuestionsWithTheirStateAndTheButtonThatFits()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForAssertionAsync(() => Assert.Equal(2, cut.FindAll("li.live-question").Count));
        Assert.Contains("Open", cut.Find("[data-testid=live-question-1] .state-chip").TextContent);
        Assert.NotNull(cut.Find("[data-testid=close-question-1]"));
        Assert.Contains("Draft", cut.Find("[data-testid=live-question-2] .state-chip").TextContent);
        Assert.NotNull(cut.Find("[data-testid=open-question-2]"));
        // "What does `2 + 2` print?": its code set apart, as the participants see it, not between backticks.
        Assert.Equal("What does 2 + 2 print?", cut.Find("[data-testid=live-question-2] .live-question-prompt").TextContent);
        Assert.Equal("2 + 2", cut.Find("[data-testid=live-question-2] .live-question-prompt code").TextContent);
    }

    [Fact]
    public async Task AnotherEventsLivePageInTheSameTabShowsThatEventAloneAndFollowsItsChanges()
    {
        // The first event's open question, the second's closed one (its podium) and a draft.
        var (first, _) = await SeedOpenQuestionAsync();
        var closed = FreeText("Which method ends a `Task` after a delay?", "Delay");
        closed.Open(Time.GetUtcNow());
        closed.Close(Time.GetUtcNow());
        var second = await SeedEventAsync(closed, FreeText("What does `1 + 1` print?", "2"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var page = ctx.Render<LivePage>(p => p.Add(x => x.EventId, first.Id));
        await page.WaitForAssertionAsync(() => Assert.Contains("declares a constant", page.Find("[data-testid=live-focus]").TextContent));

        // The number in the address edited, or Back to the other event's live page: Blazor keeps the page, with new parameters.
        page.Render(p => p.Add(x => x.EventId, second.Id));

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Contains("Which method ends", page.Find("[data-testid=live-focus] [data-testid=prompt]").TextContent);
            Assert.NotNull(page.Find("[data-testid=ranking-heading]"));
        }, TimeSpan.FromSeconds(15));
        Assert.Equal(2, page.FindAll("li.live-question").Count);
        Assert.DoesNotContain("declares a constant", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=close-selected]"));
        Assert.Empty(page.FindAll("[data-testid=close-question-1]"));
        Assert.NotNull(page.Find("[data-testid=open-next]"));
        Assert.Contains($"/events/{second.Id}/results", page.Find("a[href$='/results']").GetAttribute("href"));

        // A co-host opening the second event's draft shows at once: the page follows the event it shows now.
        await Lifecycle.OpenAsync(second.Questions[1].Id);
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(second.Id, EventItself: false));
        await page.WaitForAssertionAsync(() => Assert.NotNull(page.Find("[data-testid=close-question-2]")), TimeSpan.FromSeconds(15));
        Assert.Contains("Question 2", page.Find("[data-testid=live-focus] h2").TextContent);
    }

    [Fact]
    public async Task AMultipleChoiceRightAnswerIsNamedByItsLetterAsInTheChat()
    {
        // On the livestream the host reads it out as the participants saw it: "the answer was B".
        var open = Seed.Choice(Tokens.NewQuestionCode(), 1, "Java", "Python", "Go");
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Right answer: B) Python · code", cut.Find("[data-testid=live-focus]").TextContent),
            TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task ThePresenterLinkOfTheEventCanBeCopiedAndReplacedFromTheLivePage()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForAssertionAsync(() => Assert.Contains($"/present/{quizEvent.PresenterToken}",
            cut.Find("[data-testid=presenter-link-card] input").GetAttribute("value")));
        Assert.NotNull(cut.Find("[data-testid=copy-presenter-link]"));
        Assert.NotNull(cut.Find("[data-testid=regenerate-presenter-link]"));
    }

    [Fact]
    public async Task TheButtonsThatOpenThePresenterSayWhatTheyOpenSoNoneReadsAsAQuestionsOpen()
    {
        // A draft, so the list has an Open that announces a question: the only buttons of the page that may read "Open".
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=open-question-2]");

        var bareOpens = cut.FindAll("a, button").Where(b => b.TextContent.Trim() == "Open").Select(b => b.GetAttribute("data-testid"));
        Assert.Equal(["open-question-2"], bareOpens);
        foreach (var key in new[] { "presenter-link", "open-presenter-link" })
        {
            var link = cut.Find($"[data-testid={key}]");
            Assert.EndsWith($"/present/{quizEvent.PresenterToken}", link.GetAttribute("href"));
            Assert.Equal("_blank", link.GetAttribute("target"));
            Assert.Matches("presenter|new tab", link.TextContent.Trim());
            Assert.Contains("new tab", link.GetAttribute("title"));
        }
        // The header's link has a screen's icon and a new tab's, which a question's Open has not.
        Assert.Equal(2, cut.FindAll("[data-testid=presenter-link] svg").Count);
    }

    [Fact]
    public async Task AfterANewPresenterLinkOpenPresenterLeadsToTheNewLinkAtOnce()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=regenerate-presenter-link]");
        Assert.EndsWith($"/present/{quizEvent.PresenterToken}", cut.Find("[data-testid=presenter-link]").GetAttribute("href"));

        cut.Find("[data-testid=regenerate-presenter-link]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Make a new link");

        // The clock stands still: the page's own re-reading of the event (every few seconds) plays no part.
        var newToken = await QueryAsync(db => db.Events.Select(e => e.PresenterToken).SingleAsync());
        Assert.NotEqual(quizEvent.PresenterToken, newToken);
        await cut.WaitForAssertionAsync(() => Assert.EndsWith($"/present/{newToken}", cut.Find("[data-testid=presenter-link]").GetAttribute("href")));
    }

    [Fact]
    public async Task TheOpenButtonOpensTheQuestionThroughTheLifecycle()
    {
        var quizEvent = await SeedEventAsync(FreeText(), FreeText());
        var second = quizEvent.Questions[1];
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=open-question-2]");

        cut.Find("[data-testid=open-question-2]").Click();

        await cut.WaitForElementAsync("[data-testid=close-question-2]");
        Assert.Equal([second.Id], Lifecycle.Opened);
        Assert.Contains("Question 2", cut.Find("[data-testid=live-focus] h2").TextContent);
    }

    [Fact]
    public async Task OpeningASecondQuestionWhileOneIsOpenAsksFirst()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        var second = quizEvent.Questions[1];
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=open-question-2]");

        // Question 2's Open is right under question 1's Close: a slip asks, and Cancel leaves the show as it was.
        cut.Find("[data-testid=open-question-2]").Click(); // the handler waits for the dialog
        await providers.WaitForAssertionAsync(() => Assert.Contains("Question 1 is still open", providers.Find(".mud-dialog").TextContent));
        await AnswerDialogAsync(providers, "Cancel");
        Assert.Empty(Lifecycle.Opened);
        Assert.NotNull(cut.Find("[data-testid=open-question-2]"));

        cut.Find("[data-testid=open-question-2]").Click();
        await AnswerDialogAsync(providers, "Open question 2 too");
        await cut.WaitForElementAsync("[data-testid=close-question-2]");
        Assert.Equal([second.Id], Lifecycle.Opened);
        Assert.NotNull(cut.Find("[data-testid=close-question-1]")); // still open: nothing was closed for the host
    }

    [Fact]
    public async Task AQuestionClosedByMistakeIsReopenedAfterAConfirmationThatSaysWhatItDoes()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SetChannelAsync(quizEvent, "@codeweek");
        await SeedAnswersAsync(open, ("Ada", null, null, "const", true, 3), ("Bruno", null, null, "const", true, 9));
        await Lifecycle.CloseAsync(open.Id);
        await QueryAsync(db => db.Answers.Where(a => a.Text == "const" && db.Participants.Any(p => p.Id == a.ParticipantId && p.FirstName == "Bruno"))
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.IsLate, true))); // sent a moment after the close
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=reopen-selected]");
        Assert.Equal("1", cut.Find("[data-testid=late-count]").TextContent);

        cut.Find("[data-testid=reopen-selected]").Click(); // the handler waits for the dialog
        await providers.WaitForAssertionAsync(() => Assert.Contains("Reopen question 1?", providers.Find(".mud-dialog").TextContent));
        var text = providers.Find(".mud-dialog").TextContent;
        Assert.Contains("It takes answers again, until you close it.", text);
        Assert.Contains("The answer sent since it closed counts, in the order Telegram received it, and the bot tells its sender so.", text);
        Assert.Contains("The channel may already have seen its results post, right answer included: the post will now say the results follow, and closing the question again posts them anew.", text);
        await AnswerDialogAsync(providers, "Keep it closed");
        Assert.Empty(Lifecycle.Reopened);

        cut.Find("[data-testid=reopen-selected]").Click();
        await AnswerDialogAsync(providers, "Reopen question 1");

        await cut.WaitForElementAsync("[data-testid=close-selected]");
        Assert.Equal([open.Id], Lifecycle.Reopened);
        await NoticeAsync(ctx, "Question 1 is open again.");
        Assert.Empty(cut.FindAll("[data-testid=reopen-selected]"));
        Assert.Contains("Open", cut.Find("[data-testid=live-question-1] .state-chip").TextContent);
    }

    [Fact]
    public async Task AQuestionOpenedTooEarlyGoesBackToDraftAfterAConfirmationUntilSomeoneAnswersIt()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SetChannelAsync(quizEvent, "@codeweek");
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=withdraw-selected]");

        cut.Find("[data-testid=withdraw-selected]").Click(); // the handler waits for the dialog
        await providers.WaitForAssertionAsync(() => Assert.Contains("Take question 1 back to draft?", providers.Find(".mud-dialog").TextContent));
        var text = providers.Find(".mud-dialog").TextContent;
        Assert.Contains("Nobody has answered it yet. It stops taking answers and waits for its turn, as if never opened", text);
        Assert.Contains("Its post in @codeweek will say it was opened too early, and opening it again posts it anew.", text);
        await AnswerDialogAsync(providers, "Keep it open");
        Assert.Empty(Lifecycle.Withdrawn);

        cut.Find("[data-testid=withdraw-selected]").Click();
        await AnswerDialogAsync(providers, "Back to draft");

        await cut.WaitForElementAsync("[data-testid=open-selected]");
        Assert.Equal([open.Id], Lifecycle.Withdrawn);
        await NoticeAsync(ctx, "Question 1 is a draft again.");
        Assert.Contains("Draft", cut.Find("[data-testid=live-question-1] .state-chip").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=withdraw-selected]"));

        // Opened in its turn, it can be taken back until the first answer; after that, only closed.
        cut.Find("[data-testid=open-selected]").Click();
        await cut.WaitForElementAsync("[data-testid=withdraw-selected]");
        Live.Publish(Snapshot(open, 1));
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("[data-testid=withdraw-selected]")));
        cut.Find("[data-testid=close-selected]"); // still there
    }

    [Fact]
    public async Task AfterBackToDraftTheKeyboardGoesOnFromTheQuestionNotFromTheTopOfThePage()
    {
        // The button pressed is gone, as after Open and Close: the keyboard goes on from the question shown, not from the
        // page's first link, and not onto its new Open button either, where an Enter held a little long would open it again.
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=withdraw-selected]");
        Assert.Empty(ctx.JSInterop.Invocations["Blazor._internal.domWrapper.focus"]);

        cut.Find("[data-testid=withdraw-selected]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Back to draft");
        await cut.WaitForElementAsync("[data-testid=open-selected]");

        // The dialog gives the focus back to the button it came from, which is gone: the page moves it to the draft's prompt
        // (bUnit writes no element reference into the markup, so the page's own reference to it is what is compared).
        var prompt = (ElementReference)typeof(LivePage).GetField("_promptRegion", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(cut.Instance)!;
        await cut.WaitForAssertionAsync(() => Assert.Contains(ctx.JSInterop.Invocations["Blazor._internal.domWrapper.focus"],
            focus => focus.Arguments[0] is ElementReference element && element.Id == prompt.Id));
    }

    [Fact]
    public async Task TakingBackAQuestionSomeoneJustAnsweredSaysWhyItStaysOpen()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=withdraw-selected]");
        await SeedAnswersAsync(open, ("Ada", null, null, "const", true, 3)); // arrives while the host reads the dialog

        cut.Find("[data-testid=withdraw-selected]").Click();
        await AnswerDialogAsync(providers, "Back to draft");

        await NoticeAsync(ctx, "Question 1 has an answer already, so it cannot go back to draft: close it, or let it run.");
        Assert.Equal(QuestionState.Open, (await QueryAsync(db => db.Questions.SingleAsync(q => q.Id == open.Id))).State);
        Assert.Contains("Open", cut.Find("[data-testid=live-question-1] .state-chip").TextContent);
    }

    [Fact]
    public async Task ReopeningAQuestionNobodyAnsweredSaysItStartsAfresh()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync(timeLimitSeconds: 60);
        await Lifecycle.CloseAsync(open.Id); // opened by mistake, closed at once
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=reopen-selected]");

        cut.Find("[data-testid=reopen-selected]").Click();

        await providers.WaitForAssertionAsync(() => Assert.Contains("Reopen question 1?", providers.Find(".mud-dialog").TextContent));
        Assert.Contains("It takes answers again, for its whole time limit, 60 s. Nobody answered it, so it starts afresh, as if opened now.",
            providers.Find(".mud-dialog").TextContent);
        Time.Advance(TimeSpan.FromMinutes(5));
        await AnswerDialogAsync(providers, "Reopen question 1");
        await cut.WaitForElementAsync("[data-testid=close-selected]");
        var stored = await QueryAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == open.Id));
        Assert.Equal((QuestionState.Open, Time.GetUtcNow(), 0), (stored.State, stored.OpenedAt!.Value, stored.ExtraSeconds));
    }

    [Fact]
    public async Task ReopeningWhileAnotherQuestionRunsSaysToCloseThatOneFirstWithoutAsking()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await Lifecycle.CloseAsync(open.Id);
        await Lifecycle.OpenAsync(quizEvent.Questions[1].Id);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-question-2]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=live-question-1] .live-question-select").ClickAsync(new()));
        await cut.WaitForElementAsync("[data-testid=reopen-selected]");

        cut.Find("[data-testid=reopen-selected]").Click();

        await NoticeAsync(ctx, "Question 2 is open; close it before reopening question 1.");
        Assert.Empty(providers.FindAll(".mud-dialog"));
        Assert.Empty(Lifecycle.Reopened);
    }

    [Fact]
    public async Task AQuestionClosedElsewhereAMomentAgoDoesNotMakeOpeningTheNextAsk()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        var second = quizEvent.Questions[1];
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=open-question-2]");

        // The co-host closed question 1 from another tab (or a script through the API), and this page has not re-read it yet.
        await Lifecycle.CloseAsync(open.Id);
        Lifecycle.Closed.Clear();
        cut.Find("[data-testid=open-question-2]").Click();

        await cut.WaitForAssertionAsync(() => Assert.Equal([second.Id], Lifecycle.Opened));
        Assert.Empty(providers.FindAll(".mud-dialog"));
    }

    [Fact]
    public async Task AQuestionWhoseTimeRanOutDoesNotMakeOpeningTheNextAsk()
    {
        // Time up: it takes no more answers that rank, and closes itself through the pipeline a moment later.
        var (quizEvent, _) = await SeedOpenQuestionAsync(timeLimitSeconds: 30);
        var second = quizEvent.Questions[1];
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=open-question-2]");
        Time.Advance(TimeSpan.FromSeconds(31));

        cut.Find("[data-testid=open-question-2]").Click();

        await cut.WaitForAssertionAsync(() => Assert.Equal([second.Id], Lifecycle.Opened));
        Assert.Empty(providers.FindAll(".mud-dialog"));
    }

    [Fact]
    public async Task AQuestionOpenedElsewhereIsShownWithinSeconds()
    {
        var quizEvent = await SeedEventAsync(FreeText(), FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForAssertionAsync(() => Assert.Contains("Question 1", cut.Find("[data-testid=live-focus] h2").TextContent));

        await Lifecycle.OpenAsync(quizEvent.Questions[1].Id); // by a co-host, or through the API
        for (var i = 0; i < 5; i++) Time.Advance(TimeSpan.FromSeconds(1));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Question 2", cut.Find("[data-testid=live-focus] h2").TextContent));
        Assert.NotEmpty(cut.FindAll("[data-testid=close-selected]"));
    }

    [Fact]
    public async Task ACoHostsExtraSecondsAndCloseShowAtOnceSoTheHostDoesNotCloseItAgain()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync(timeLimitSeconds: 60);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:00", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        var changes = ctx.Services.GetRequiredService<CatalogChanges>();

        // The co-host's console, with the same pipeline, which tells every console (PipelineLifecycle); no second passes here.
        await Lifecycle.ExtendAsync(open.Id, 30);
        changes.Publish(new CatalogChanged(quizEvent.Id, EventItself: false));
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:30", cut.Find("[data-testid=countdown]").TextContent.Trim()));

        await Lifecycle.CloseAsync(open.Id);
        changes.Publish(new CatalogChanged(quizEvent.Id, EventItself: false));
        await cut.WaitForElementAsync("[data-testid=ranking-heading]");
        Assert.Empty(cut.FindAll("[data-testid=close-selected]"));
        Assert.Empty(cut.FindAll("[data-testid=close-question-1]"));
    }

    [Fact]
    public async Task ClosingAQuestionTheCoHostClosedAMomentBeforeSaysSoWithoutAnError()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");

        await Lifecycle.CloseAsync(open.Id); // the co-host's click, a moment before the host's
        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        var notice = await NoticeAsync(ctx, "Question 1 was already closed, by another organizer or its time limit.");
        Assert.Equal(Severity.Info, notice.Severity);
        await cut.WaitForElementAsync("[data-testid=ranking-heading]");
    }

    [Fact]
    public async Task WhenACoHostDeletesTheQuestionShownHereAnotherIsShownInItsPlace()
    {
        var quizEvent = await SeedEventAsync(FreeText("First?"), FreeText("Second?"), FreeText("Third?"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=live-question-2] .live-question-select");
        await cut.InvokeAsync(() => cut.Find("[data-testid=live-question-2] .live-question-select").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Equal("Question 2", cut.Find("[data-testid=live-focus] h2").TextContent));

        Assert.True((await ctx.Services.GetRequiredService<QuizCatalog>().DeleteQuestionAsync(quizEvent.Questions[1].Id)).Succeeded); // on the co-host's event page

        await cut.WaitForAssertionAsync(() => Assert.Equal(2, cut.FindAll(".live-question").Count));
        Assert.Equal("Question 1", cut.Find("[data-testid=live-focus] h2").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=open-selected]"));
    }

    [Fact]
    public async Task OpeningAQuestionACoHostDeletedAMomentBeforeSaysSoAndShowsAnotherInItsPlace()
    {
        var quizEvent = await SeedEventAsync(FreeText("First?"), FreeText("Second?"), FreeText("Third?"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=live-question-2] .live-question-select");
        await cut.InvokeAsync(() => cut.Find("[data-testid=live-question-2] .live-question-select").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Equal("Question 2", cut.Find("[data-testid=live-focus] h2").TextContent));

        // Deleted on the co-host's event page as the host clicks Open, before this page heard of it.
        await QueryAsync(db => db.Questions.Where(q => q.Id == quizEvent.Questions[1].Id).ExecuteDeleteAsync());
        await cut.InvokeAsync(() => cut.Find("[data-testid=open-selected]").ClickAsync(new()));

        // Its number, not "There is no question 57" (its id), and no empty half of the page.
        var notice = await NoticeAsync(ctx, "Question 2 was deleted, by another organizer.");
        Assert.Equal(Severity.Info, notice.Severity);
        await cut.WaitForAssertionAsync(() => Assert.Equal("Question 1", cut.Find("[data-testid=live-focus] h2").TextContent));
        Assert.Equal(2, cut.FindAll(".live-question").Count);
    }

    [Fact]
    public async Task TheCloseButtonClosesTheQuestionThroughTheLifecycle()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-question-1]");

        cut.Find("[data-testid=close-question-1]").Click();

        await cut.WaitForAssertionAsync(() => Assert.Contains("Closed", cut.Find("[data-testid=live-question-1] .state-chip").TextContent));
        Assert.Equal([open.Id], Lifecycle.Closed);
        Assert.Empty(cut.FindAll("[data-testid=close-question-1]"));
    }

    [Fact]
    public async Task AfterTheCloseTheNextDraftQuestionIsOneClickAway()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        var third = FreeText("third");
        await using (var db = await Db.CreateDbContextAsync())
        {
            third.EventId = quizEvent.Id;
            third.Position = 3;
            db.Questions.Add(third);
            await db.SaveChangesAsync();
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");
        Assert.Empty(cut.FindAll("[data-testid=open-next]"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Equal("Open question 2", cut.Find("[data-testid=open-next]").TextContent.Trim()));
        await cut.InvokeAsync(() => cut.Find("[data-testid=open-next]").ClickAsync(new()));

        await cut.WaitForElementAsync("[data-testid=close-selected]");
        Assert.Equal([quizEvent.Questions[1].Id], Lifecycle.Opened);
        Assert.Contains("Question 2", cut.Find("[data-testid=live-focus] h2").TextContent);

        // Question 1 shown again: question 3 is the next one still in draft.
        await cut.InvokeAsync(() => cut.Find("[data-testid=live-question-1] .live-question-select").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Equal("Open question 3", cut.Find("[data-testid=open-next]").TextContent.Trim()));
    }

    [Fact]
    public async Task AQuestionSkippedByMistakeIsOneClickAwayOnceTheLastOneCloses()
    {
        // Question 3 was opened in place of question 2: once it closes, question 2 is what is left to ask.
        var first = FreeText("first", "1");
        first.Open(Time.GetUtcNow());
        first.Close(Time.GetUtcNow());
        var last = FreeText("last", "3");
        last.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(first, FreeText("skipped", "2"), last);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Equal("Open question 2", cut.Find("[data-testid=open-next]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=see-results]"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=open-next]").ClickAsync(new()));

        await cut.WaitForElementAsync("[data-testid=close-selected]");
        Assert.Equal([quizEvent.Questions[1].Id], Lifecycle.Opened);
    }

    [Fact]
    public async Task APageOpenedAfterASkippedQuestionClosedShowsItsPodiumAsTheProjectorDoes()
    {
        // Question 2 was asked first by mistake, then question 1: the projector shows question 1's podium, and so does a
        // live page reloaded now.
        var second = FreeText("second", "2");
        second.Open(Time.GetUtcNow());
        Time.Advance(TimeSpan.FromSeconds(30));
        second.Close(Time.GetUtcNow());
        var first = FreeText("first", "1");
        Time.Advance(TimeSpan.FromSeconds(10));
        first.Open(Time.GetUtcNow());
        Time.Advance(TimeSpan.FromSeconds(30));
        first.Close(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(first, second, FreeText("third", "3"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForAssertionAsync(() => Assert.Equal("Question 1", cut.Find("[data-testid=live-focus] h2").TextContent.Trim()));
        Assert.Equal("Open question 3", cut.Find("[data-testid=open-next]").TextContent.Trim());
    }

    [Fact]
    public async Task TwoQuestionsClosedAtTheSameInstantShowTheSamePodiumOnThePageAndOnTheProjector()
    {
        // Both ran out of time together, so the pipeline closed them at one instant.
        var first = FreeText("first", "1");
        var second = FreeText("second", "2");
        first.Open(Time.GetUtcNow());
        second.Open(Time.GetUtcNow());
        Time.Advance(TimeSpan.FromSeconds(30));
        first.Close(Time.GetUtcNow());
        second.Close(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(first, second, FreeText("third", "3"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddOptions<PresenterOptions>();
        ctx.Services.AddSingleton<PresenterFeed>();

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        var projector = await ctx.Services.GetRequiredService<PresenterFeed>().FindAsync(quizEvent.PresenterToken);

        Assert.Equal(PresenterPhase.Closed, projector!.Phase);
        Assert.Equal(2, projector.Question!.Number); // the later of the two in the event
        await cut.WaitForAssertionAsync(() => Assert.Equal("Question 2", cut.Find("[data-testid=live-focus] h2").TextContent.Trim()));
    }

    [Fact]
    public async Task APageOpenedWhileTwoQuestionsAreOpenShowsTheOneOpenedLastAsTheProjectorDoes()
    {
        // Question 3 was opened as well while question 2 still took answers (the page asked first): the projector shows
        // question 3, and so does a live page reloaded now, with its Close under the host's hand.
        var second = FreeText("second", "2");
        second.Open(Time.GetUtcNow());
        Time.Advance(TimeSpan.FromSeconds(20));
        var third = FreeText("third", "3");
        third.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(FreeText("first", "1"), second, third);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForAssertionAsync(() => Assert.Equal("Question 3", cut.Find("[data-testid=live-focus] h2").TextContent.Trim()));
    }

    [Fact]
    public async Task WhenTheLastQuestionClosesTheEventsResultsAreOneClickAway()
    {
        var first = FreeText("first", "1");
        first.Open(Time.GetUtcNow());
        first.Close(Time.GetUtcNow());
        var last = FreeText("last", "2");
        last.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(first, last);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");
        // Not an empty heading while the room is still scanning.
        Assert.Equal("No answers yet.", cut.Find("[data-testid=recent-answers-none]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=see-results]"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        await cut.WaitForElementAsync("[data-testid=see-results]");
        Assert.Equal($"/events/{quizEvent.Id}/results", cut.Find("[data-testid=see-results]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=open-next]"));
        Assert.Empty(cut.FindAll("[data-testid=recent-answers-none]"));
    }

    [Fact]
    public async Task AnOpenQuestionWithAnswersNoneOfWhichIsRecentIsNotSaidToHaveNone()
    {
        // The last answers are the last few to arrive in the whole app, kept in memory: a restart, another event or a
        // flood of late answers to an earlier question leaves none of this one's among them while it has plenty.
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=recent-answers-none]");

        Live.Publish(Snapshot(open, 40, 12, 0, new RecentAnswer(open.Id + 1000, "Ada", null, "late", false, Time.GetUtcNow(), 1, IsLate: true)));
        Time.Advance(TimeSpan.FromSeconds(1));

        await cut.WaitForAssertionAsync(() => Assert.Equal("40", cut.Find("[data-testid=answer-count]").TextContent));
        var none = cut.Find("[data-testid=recent-answers-none]").TextContent;
        Assert.DoesNotContain("No answers yet", none);
        Assert.Contains("counted above", none);
    }

    [Fact]
    public async Task ACodePromptShowsItsBlockWithoutFencesAndKeepsItsLinesOnceClosed()
    {
        var open = FreeText("What does this print?\n```csharp\nvar x = 1 < 2;\nConsole.WriteLine(x);\n```", "True");
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForElementAsync("[data-testid=prompt] pre");
        Assert.Equal("var x = 1 < 2;\nConsole.WriteLine(x);", cut.Find("[data-testid=prompt] pre").TextContent);
        Assert.DoesNotContain("```", cut.Find("[data-testid=prompt]").TextContent);
        Assert.DoesNotContain("```", cut.Find("[data-testid=live-question-1]").TextContent);

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        // The host reads the code out again with the answer: it keeps its lines, as the participants saw it.
        await cut.WaitForElementAsync("[data-testid=ranking-list]");
        Assert.Equal("var x = 1 < 2;\nConsole.WriteLine(x);", cut.Find("[data-testid=prompt] pre").TextContent);
        Assert.DoesNotContain("```", cut.Find("[data-testid=prompt]").TextContent);
    }

    [Fact]
    public async Task ClosingShowsTheRankingThatWentToTheChannel()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SeedAnswersAsync(open,
            ("Grace", null, null, "const", true, 3.4),
            ("Linus", null, null, "readonly", false, 2.0),
            ("Class 3B", "3B", 24, "CONST", true, 75.25));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        await cut.WaitForElementAsync("ol[data-testid=ranking-list]");
        var ranking = cut.FindAll("[data-testid=ranking-list] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(2, ranking.Count);
        Assert.StartsWith("🥇 Grace", ranking[0]);
        Assert.Contains("3.4 s", ranking[0]);
        Assert.StartsWith("🥈 Class 3B (3B)", ranking[1]);
        Assert.Contains("1:15.3", ranking[1]); // as in the results post and on the presenter
        Assert.Equal("3", cut.Find("[data-testid=answer-count]").TextContent);
        // What people answered, for the host to talk about: "const" and "CONST" are one answer, and the right one.
        var given = cut.FindAll("[data-testid=distribution] li").Select(li => (li.TextContent.Trim(), li.ClassList.Contains("distribution-correct"))).ToList();
        Assert.Equal(2, given.Count);
        Assert.Matches(@"^✔ const\s*2$", given[0].Item1); // as the organizer wrote it
        Assert.True(given[0].Item2);
        Assert.Matches(@"^readonly\s*1$", given[1].Item1);
        Assert.False(given[1].Item2);
    }

    [Fact]
    public async Task AnswersGivenShowTheRightOnesAsOneRowWithTheirSpellingsBelow()
    {
        var open = FreeText("How many legs has an insect?", "6", "six");
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        await SeedAnswersAsync(open,
            ("Ada", null, null, "6", true, 2.0),
            ("Grace", null, null, "six", true, 3.0),
            ("Linus", null, null, "8", false, 4.0),
            ("Alan", null, null, "6", true, 5.0),
            ("Barbara", null, null, "Six.", true, 6.0),
            ("Ken", null, null, "6", true, 7.0));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        await cut.WaitForElementAsync("[data-testid=distribution]");
        // How many got it right, at a glance, as the projector's one bar says it; the spellings it came in on a line of its own.
        var rows = cut.FindAll("[data-testid=distribution] > li");
        Assert.Equal(2, rows.Count);
        Assert.Contains("distribution-correct", rows[0].ClassList);
        Assert.Equal("✔ 6", rows[0].QuerySelector(".distribution-answer")!.TextContent.Trim());
        Assert.Equal("5", rows[0].QuerySelector(".distribution-count")!.TextContent.Trim());
        Assert.Equal("6 (3) · six (2)", rows[0].QuerySelector("[data-testid=distribution-spellings]")!.TextContent.Trim());
        // Wrong answers stay one row each.
        Assert.Matches(@"^8\s*1$", rows[1].TextContent.Trim());
        Assert.Null(rows[1].QuerySelector("[data-testid=distribution-spellings]"));
    }

    [Fact]
    public async Task AnswersGivenShowANumberWithinItsToleranceAsOneRightRow()
    {
        var open = new Question { Prompt = "π to two places?", Kind = QuestionKind.Numeric, NumericAnswer = 3.14, Tolerance = 0.01, Code = Tokens.NewQuestionCode() };
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        await SeedAnswersAsync(open,
            ("Ada", null, null, "3.14", true, 2.0),
            ("Grace", null, null, "3,15", true, 3.0),
            ("Linus", null, null, "3", false, 4.0),
            ("Alan", null, null, "3.140", true, 5.0));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        await cut.WaitForElementAsync("[data-testid=distribution]");
        var rows = cut.FindAll("[data-testid=distribution] > li");
        Assert.Equal(2, rows.Count);
        Assert.Equal("✔ 3.14", rows[0].QuerySelector(".distribution-answer")!.TextContent.Trim());
        Assert.Equal("3", rows[0].QuerySelector(".distribution-count")!.TextContent.Trim());
        Assert.Equal("3.14 (2) · 3.15 (1)", rows[0].QuerySelector("[data-testid=distribution-spellings]")!.TextContent.Trim());
        Assert.Matches(@"^3\s*1$", rows[1].TextContent.Trim());
    }

    [Fact]
    public async Task AnswersGivenCountEveryRightAnswerHoweverFewGaveIt()
    {
        var open = new Question { Prompt = "π to two places?", Kind = QuestionKind.Numeric, NumericAnswer = 3.14, Tolerance = 0.01, Code = Tokens.NewQuestionCode() };
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        // Eleven wrong numbers given by two people each, more than either right one.
        var wrong = Enumerable.Range(1, 11).SelectMany(k => new[] { k, k })
            .Select((k, i) => ($"P{i}", (string?)null, (int?)null, $"{k}", false, 2.0 + i));
        await SeedAnswersAsync(open, [.. wrong, ("Ada", null, null, "3.14", true, 30.0), ("Grace", null, null, "3,15", true, 31.0)]);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        await cut.WaitForElementAsync("[data-testid=distribution]");
        // The right row says as many as the percent correct: 2 of 24.
        Assert.Equal("8%", cut.Find("[data-testid=percent-correct]").TextContent.Trim());
        var rows = cut.FindAll("[data-testid=distribution] > li");
        Assert.Equal("✔ 3.14", rows[0].QuerySelector(".distribution-answer")!.TextContent.Trim());
        Assert.Equal("2", rows[0].QuerySelector(".distribution-count")!.TextContent.Trim());
        Assert.Equal("3.14 (1) · 3.15 (1)", rows[0].QuerySelector("[data-testid=distribution-spellings]")!.TextContent.Trim());
        // Ten wrong answers, then "(other)": the eleventh, wrong too.
        Assert.Equal(12, rows.Count);
        Assert.Matches(@"^\(other\)\s*2$", rows[11].TextContent.Trim());
    }

    [Fact]
    public async Task SomeoneLeftOutWhoAskedTheBotToForgetThemIsListedWithoutAName()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await QueryAsync(async db =>
        {
            // What /forget leaves of someone left out: the mark, no name.
            db.Participants.Add(new Participant { Id = 77, FirstName = "", CreatedAt = Time.GetUtcNow(), LeftOutAt = Time.GetUtcNow() });
            return await db.SaveChangesAsync();
        });
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, _) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForElementAsync("[data-testid=left-out]");
        Assert.Contains("(name deleted at their request)", cut.Find("[data-testid=left-out]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=rank-again-77]"));
    }

    [Fact]
    public async Task ANameOnTheClosedQuestionsPodiumCanBeLeftOutFromTheRankingItself()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SeedAnswersAsync(open, ("Rude Name", null, null, "const", true, 1.0), ("Grace", null, null, "const", true, 3.4));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        await cut.WaitForElementAsync("[data-testid=ranked-leave-out-1001]");
        Assert.StartsWith("🥇 Rude Name", cut.Find("[data-testid=ranking-list] li").TextContent.Trim());
        Assert.Equal("Leave Grace out of the rankings", cut.Find("[data-testid=ranked-leave-out-1002]").GetAttribute("aria-label"));

        Lifecycle.ResultsPostsToCorrect = 1;
        cut.Find("[data-testid=ranked-leave-out-1001]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Leave out");

        // The ranking is read again without them: Grace moves up to the gold medal.
        await cut.WaitForAssertionAsync(() => Assert.StartsWith("🥇 Grace", cut.Find("[data-testid=ranking-list] li").TextContent.Trim()));
        Assert.Single(cut.FindAll("[data-testid=ranking-list] li"));
        Assert.Equal([(1001L, true)], Lifecycle.LeftOut);
        Assert.Contains("Rude Name", cut.Find("[data-testid=left-out]").TextContent);
        Assert.Equal("Rude Name is left out of the rankings. The results post in the channel is being corrected.",
            ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message);
    }

    [Fact]
    public async Task ANameLeftOutOfTheRankingsElsewhereLeavesTheRankingShownHere()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SeedAnswersAsync(open, ("Rude Name", null, null, "const", true, 1.0), ("Grace", null, null, "const", true, 3.4));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.StartsWith("🥇 Rude Name", cut.Find("[data-testid=ranking-list] li").TextContent.Trim()));

        // A co-host leaves them out from their own laptop (or a script through the API), not from this page.
        await Lifecycle.LeaveOutAsync(1001, leaveOut: true);
        Time.Advance(TimeSpan.FromSeconds(1));

        await cut.WaitForAssertionAsync(() => Assert.StartsWith("🥇 Grace", cut.Find("[data-testid=ranking-list] li").TextContent.Trim()));
        Assert.Single(cut.FindAll("[data-testid=ranking-list] li"));
        Assert.Contains("Rude Name", cut.Find("[data-testid=left-out]").TextContent);
    }

    [Fact]
    public async Task ThePercentCorrectIsADashUntilTheFirstAnswerThenAPercentage()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=percent-correct]");
        Assert.Equal("–", cut.Find("[data-testid=percent-correct]").TextContent);

        Live.Publish(Snapshot(open, 1));
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Equal("0%", cut.Find("[data-testid=percent-correct]").TextContent));
    }

    [Fact]
    public async Task TheCountsShowTheAnswersOnceAndSayThatPeopleCountATeamAsItsHeadCount()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");

        // Three answers: two people alone and a class of 25 on one phone.
        Live.Publish(new(Time.GetUtcNow(), [new LiveQuestion(open.Id, open.EventId, 3, 3, 27, 2, 0, 0)], [], 0, 0));
        Time.Advance(TimeSpan.FromSeconds(1));

        await cut.WaitForAssertionAsync(() => Assert.Equal("27", cut.Find("[data-testid=people-count]").TextContent));
        Assert.Equal("3", cut.Find("[data-testid=answer-count]").TextContent);
        // Participants are the answers again (one each): not a third counter showing 3.
        Assert.Empty(cut.FindAll("[data-testid=participant-count]"));
        Assert.Equal(["3", "27", "67%", "0"], cut.FindAll(".live-counter-value").Select(v => v.TextContent));
        Assert.Contains("shared phone as its head count", cut.Find("[data-testid=people-label]").TextContent);
    }

    [Fact]
    public async Task AThousandLiveChangesCostNoMoreRendersThanAFewSingleChanges()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");
        var throttle = TimeSpan.FromSeconds(1.0 / LiveStats.MaxNotificationsPerSecond);

        // One change: what a single re-render of the page (and its MudBlazor children) counts as.
        var before = cut.RenderCount;
        Live.Publish(Snapshot(open, 1));
        Time.Advance(throttle);
        await cut.WaitForAssertionAsync(() => Assert.Equal("1", cut.Find("[data-testid=answer-count]").TextContent));
        // The renders a change brings (the page's MudBlazor children render after it) may come on after the number shows.
        var oneChange = await SettledRenderCountAsync(cut) - before;

        before = cut.RenderCount;
        for (var answers = 2; answers <= 1001; answers++)
            Live.Publish(Snapshot(open, answers, correct: answers / 2));
        Time.Advance(throttle);

        await cut.WaitForAssertionAsync(() => Assert.Equal("1001", cut.Find("[data-testid=answer-count]").TextContent));
        Assert.Equal("50%", cut.Find("[data-testid=percent-correct]").TextContent);
        // Two notifications at most (one at once, one after the throttle); a change of more numbers renders a little more.
        Assert.InRange(await SettledRenderCountAsync(cut) - before, 1, 3 * oneChange);
    }

    /// <summary>The page's render count once no render has come for a quarter of a second.</summary>
    static async Task<int> SettledRenderCountAsync(IRenderedComponent<LivePage> cut)
    {
        var count = cut.RenderCount;
        while (true)
        {
            await Task.Delay(250);
            if (cut.RenderCount == count) return count;
            count = cut.RenderCount;
        }
    }

    [Fact]
    public async Task ShowsTheLastAnswersOfTheQuestionFromTheSnapshot()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");

        Live.Publish(Snapshot(open, 2, 1, 0,
            new RecentAnswer(open.Id, "Ada <script>", "3B", "const", true, Time.GetUtcNow(), 1),
            new RecentAnswer(open.Id, "Linus", null, "readonly", false, Time.GetUtcNow(), 2)));

        await cut.WaitForAssertionAsync(() => Assert.Equal(2, cut.FindAll("[data-testid=recent-answers] li").Count));
        var first = cut.Find("[data-testid=recent-answers] li.right");
        Assert.Contains("Ada <script>", first.TextContent);
        Assert.Contains("(3B)", first.TextContent);
        Assert.DoesNotContain("<script>", cut.Find("[data-testid=recent-answers]").InnerHtml);
        // Read as "right" and "wrong", not as the marks' names: an image may carry a name, a plain span may not.
        Assert.Equal(["img right", "img wrong"], cut.FindAll("[data-testid=recent-answers] li > span:first-child")
            .Select(mark => $"{mark.GetAttribute("role")} {mark.GetAttribute("aria-label")}"));
    }

    [Fact]
    public async Task AnAnswerSentAfterTheCloseIsMarkedLateInTheLastAnswersSoTheHostDoesNotLookForItInTheRanking()
    {
        var question = FreeText("Which keyword declares a constant in C#?", "const");
        question.Open(Time.GetUtcNow().AddSeconds(-30));
        question.Close(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(question);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");

        // Late as the batch writer decided it: after the close, or before it but past the time limit.
        Live.Publish(Snapshot(question, 3, 3, 0,
            new RecentAnswer(question.Id, "Grace", null, "const", true, Time.GetUtcNow().AddSeconds(3), 3, IsLate: true),
            new RecentAnswer(question.Id, "Linus", null, "const", true, Time.GetUtcNow().AddSeconds(-1), 2, IsLate: true),
            new RecentAnswer(question.Id, "Ada", null, "const", true, Time.GetUtcNow().AddSeconds(-2), 1)));

        await cut.WaitForAssertionAsync(() => Assert.Equal(3, cut.FindAll("[data-testid=recent-answers] li").Count));
        var items = cut.FindAll("[data-testid=recent-answers] li");
        Assert.Contains("const late, not ranked", items[0].TextContent);
        Assert.Contains("late", items[0].ClassList);
        Assert.Contains("const late, not ranked", items[1].TextContent);
        Assert.DoesNotContain("late", items[2].TextContent);
    }

    [Fact]
    public async Task AnOffensiveNameIsLeftOutOfTheRankingsFromTheLastAnswersAfterAConfirmationAndCanBeRankedAgain()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.Participants.Add(new Participant { Id = 1, FirstName = "Rude", LastName = "Name", TeamName = "Worse Team", CreatedAt = Time.GetUtcNow() });
            db.Participants.Add(new Participant { Id = 2, FirstName = "Linus", CreatedAt = Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");
        Live.Publish(Snapshot(open, 2, 2, 0,
            new RecentAnswer(open.Id, "Rude Name", "Worse Team", "const", true, Time.GetUtcNow(), 1),
            new RecentAnswer(open.Id, "Linus", null, "const", true, Time.GetUtcNow(), 2)));
        await cut.WaitForElementAsync("[data-testid=leave-out-1]");
        Assert.Equal("Leave Rude Name out of the rankings", cut.Find("[data-testid=leave-out-1]").GetAttribute("aria-label"));

        // Cancelled: nothing happens.
        cut.Find("[data-testid=leave-out-2]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Cancel");
        Assert.Empty(Lifecycle.LeftOut);

        cut.Find("[data-testid=leave-out-1]").Click();
        await providers.WaitForAssertionAsync(() => Assert.Contains("Results posts already in the channel that show them are corrected", providers.Find(".mud-dialog").TextContent));
        await AnswerDialogAsync(providers, "Leave out");

        await cut.WaitForAssertionAsync(() => Assert.Contains("Rude Name (Worse Team)", cut.Find("[data-testid=left-out]").TextContent));
        Assert.Equal([(1L, true)], Lifecycle.LeftOut);
        Assert.Empty(cut.FindAll("[data-testid=leave-out-1]"));
        Assert.NotNull(cut.Find("[data-testid=leave-out-2]"));
        Assert.Contains("Rude Name is left out of the rankings.", ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message);

        // Each named by whom it ranks again, beginning with what it shows: a screen reader's list of buttons is not a row of "Rank again".
        Assert.Equal("Rank again: Rude Name", cut.Find("[data-testid=rank-again-1]").GetAttribute("aria-label"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=rank-again-1]").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("[data-testid=left-out]")));
        Assert.Equal([(1L, true), (1L, false)], Lifecycle.LeftOut);
        Assert.NotNull(cut.Find("[data-testid=leave-out-1]"));
    }

    [Fact]
    public async Task TheCountdownOfATimedQuestionFollowsTheClock()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync(timeLimitSeconds: 90);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:30", cut.Find("[data-testid=countdown]").TextContent.Trim()));

        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:29", cut.Find("[data-testid=countdown]").TextContent.Trim()));

        Time.Advance(TimeSpan.FromSeconds(80));
        await cut.WaitForAssertionAsync(() => Assert.Equal("0:09", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        Assert.Contains("ending", cut.Find("[data-testid=countdown]").ClassName);
    }

    [Fact]
    public async Task TheCountdownShowsTheSameSecondAsTheProjectorAndTheBot()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync(timeLimitSeconds: 90);
        Time.Advance(TimeSpan.FromMilliseconds(500));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        // 89.5 s left: the projector and the bot say 90 ("1:30", "90 s left"); so does the console.
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:30", cut.Find("[data-testid=countdown]").TextContent.Trim()));

        // Half a second left: the question still takes answers, and the console does not say the time is up.
        Time.Advance(TimeSpan.FromSeconds(89));
        await cut.WaitForAssertionAsync(() => Assert.Equal("0:01", cut.Find("[data-testid=countdown]").TextContent.Trim()));
    }

    [Fact]
    public async Task TheHostsThirtyMoreSecondsAreOneClickAndTheCountdownShowsThem()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync(timeLimitSeconds: 60);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:00", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        Time.Advance(TimeSpan.FromSeconds(50));
        await cut.WaitForAssertionAsync(() => Assert.Equal("0:10", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        var extend = cut.Find("[data-testid=extend]");
        Assert.Equal("+30 s for question 1", extend.GetAttribute("aria-label"));
        Assert.StartsWith(extend.TextContent.Trim(), extend.GetAttribute("aria-label"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=extend]").ClickAsync(new()));

        await cut.WaitForAssertionAsync(() => Assert.Equal("0:40", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        Assert.Equal([open.Id], Lifecycle.Extended);
        Assert.DoesNotContain("ending", cut.Find("[data-testid=countdown]").ClassName);
        Assert.Contains("Question 1 has 30 more seconds.", ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message);
    }

    [Fact]
    public async Task OnceTheTimeIsUpThirtyMoreSecondsGivesWayToSayingTheQuestionCloses()
    {
        // The question closes itself a few seconds after its time (answers sent in time still on their way): more time
        // then would only be refused, however fast the host clicks.
        var (quizEvent, _) = await SeedOpenQuestionAsync(timeLimitSeconds: 30);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForAssertionAsync(() => Assert.Equal("0:30", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        Assert.Single(cut.FindAll("[data-testid=extend]"));

        Time.Advance(TimeSpan.FromSeconds(31));

        await cut.WaitForAssertionAsync(() => Assert.Equal("0:00", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=extend]"));
        Assert.Equal("Time's up: closing…", cut.Find("[data-testid=time-up]").TextContent.Trim());
    }

    [Fact]
    public async Task ThirtyMoreSecondsRightAfterACoHostsAsksBeforeMakingItAMinute()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync(timeLimitSeconds: 60);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:00", cut.Find("[data-testid=countdown]").TextContent.Trim()));

        // The host says "thirty more seconds!"; the co-host's click lands first.
        await Lifecycle.ExtendAsync(open.Id, 30);
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(quizEvent.Id, EventItself: false));
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:30", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        cut.Find("[data-testid=extend]").Click(); // the handler waits for the dialog

        await providers.WaitForAssertionAsync(() => Assert.Contains("Question 1 was just given more time", providers.Find(".mud-dialog").TextContent));
        // Time given cannot be taken back: its button is amber, as opening a second question's is.
        Assert.Contains("mud-button-filled-warning", providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "30 s more").ClassName);
        await AnswerDialogAsync(providers, "Cancel");
        Assert.Equal([open.Id], Lifecycle.Extended);

        // Later on, another thirty seconds is one click again.
        Time.Advance(TimeSpan.FromSeconds(10));
        await cut.InvokeAsync(() => cut.Find("[data-testid=extend]").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Equal([open.Id, open.Id], Lifecycle.Extended));
        Assert.Empty(providers.FindAll(".mud-dialog"));
    }

    [Fact]
    public async Task ThirtyMoreSecondsRightAfterAReopenAreOneClickAndNotSaidToComeAfterSomeoneElses()
    {
        // Its time ran out while the host was still speaking: reopened, it runs half a minute, and the host asks for thirty
        // seconds more. Nobody gave it more time: the reopen moved its end, and the page must not ask as if a co-host had.
        var (quizEvent, open) = await SeedOpenQuestionAsync(timeLimitSeconds: 60);
        await SeedAnswersAsync(open, ("Ada", null, null, "const", true, 3));
        Time.Advance(TimeSpan.FromSeconds(62));
        await Lifecycle.CloseAsync(open.Id);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=reopen-selected]");
        cut.Find("[data-testid=reopen-selected]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Reopen question 1");
        await cut.WaitForAssertionAsync(() => Assert.Equal("0:30", cut.Find("[data-testid=countdown]").TextContent.Trim()));

        cut.Find("[data-testid=extend]").Click(); // were it to ask, the handler would wait for the dialog

        await cut.WaitForAssertionAsync(() => Assert.True(Lifecycle.Extended.Count == 1 || providers.FindAll(".mud-dialog").Count == 1));
        Assert.DoesNotContain("was just given more time", providers.Markup);
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:00", cut.Find("[data-testid=countdown]").TextContent.Trim()));
        Assert.Equal([open.Id], Lifecycle.Extended);
    }

    [Fact]
    public async Task ThirtyMoreSecondsClickedWithACoHostsBeforeThisPageSawItSaysSoInsteadOfMakingItAMinute()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync(timeLimitSeconds: 60);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:00", cut.Find("[data-testid=countdown]").TextContent.Trim()));

        // Host and co-host click "+30 s" at the same moment: the co-host's is stored first, before this page could hear of it.
        await Lifecycle.ExtendAsync(open.Id, 30, expectedExtraSeconds: 0);
        await cut.InvokeAsync(() => cut.Find("[data-testid=extend]").ClickAsync(new()));

        var notice = await NoticeAsync(ctx, "Question 1 was already given more time, by another organizer: 90 seconds in all now, 90 left. Nothing was added.");
        Assert.Equal(Severity.Info, notice.Severity);
        Assert.Empty(providers.FindAll(".mud-dialog"));
        await using (var db = await Db.CreateDbContextAsync())
            Assert.Equal(30, (await db.Questions.SingleAsync(q => q.Id == open.Id)).ExtraSeconds);
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:30", cut.Find("[data-testid=countdown]").TextContent.Trim()));
    }

    /// <summary>
    /// Two drafts on a page that shows none open; the co-host opens question 1 as this page opens question 2, so nothing
    /// was asked here: the server refuses, and the page asks.
    /// </summary>
    async Task<(IRenderedComponent<LivePage> Cut, IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Providers, Question Second)> CoHostOpensAsThisPageOpensAsync(BunitContext ctx)
    {
        var quizEvent = await SeedEventAsync(FreeText(), FreeText());
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=open-question-2]");
        await Lifecycle.OpenAsync(quizEvent.Questions[0].Id, onlyIfNoneOpen: true);
        cut.Find("[data-testid=open-question-2]").Click(); // the handler waits for the dialog
        await providers.WaitForAssertionAsync(() => Assert.Contains("Question 1 was just opened, by another organizer", providers.Find(".mud-dialog").TextContent));
        return (cut, providers, quizEvent.Questions[1]);
    }

    [Fact]
    public async Task OpeningADraftTheMomentACoHostOpensAnotherAsksBeforeHavingTwoOpen()
    {
        await using var ctx = new BunitContext();
        var (cut, providers, second) = await CoHostOpensAsThisPageOpensAsync(ctx);

        await AnswerDialogAsync(providers, "Cancel");
        await cut.WaitForElementAsync("[data-testid=close-question-1]");
        Assert.NotNull(cut.Find("[data-testid=open-question-2]"));
        await using (var db = await Db.CreateDbContextAsync())
            Assert.Equal(QuestionState.Draft, (await db.Questions.SingleAsync(q => q.Id == second.Id)).State);

        // Asked, the host may still want both open.
        cut.Find("[data-testid=open-question-2]").Click();
        await AnswerDialogAsync(providers, "Open question 2 too");
        await cut.WaitForElementAsync("[data-testid=close-question-2]");
    }

    [Fact]
    public async Task CancellingTheOpenAskedAfterACoHostsOpenKeepsShowingTheQuestionTheyOpened()
    {
        await using var ctx = new BunitContext();
        var (cut, providers, second) = await CoHostOpensAsThisPageOpensAsync(ctx);
        // The co-host's open reaches the page while it asks: the page shows the question now running, as it always does.
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(second.EventId, EventItself: false));
        await cut.WaitForElementAsync("[data-testid=close-selected]");

        // Called off: nothing was done to question 2, so the page keeps showing question 1, running, to be closed.
        await AnswerDialogAsync(providers, "Cancel");
        await cut.WaitForAssertionAsync(() => Assert.False(cut.Find("[data-testid=open-question-2]").HasAttribute("disabled")));
        Assert.NotEmpty(cut.FindAll("[data-testid=close-selected]"));
        Assert.Empty(cut.FindAll("[data-testid=open-selected]"));
        await using (var db = await Db.CreateDbContextAsync())
            Assert.Equal(QuestionState.Draft, (await db.Questions.SingleAsync(q => q.Id == second.Id)).State);
    }

    [Fact]
    public async Task AQuestionWithoutATimeLimitHasNoCountdownAndNothingToExtend()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");
        Assert.Empty(cut.FindAll("[data-testid=countdown]"));
        Assert.Empty(cut.FindAll("[data-testid=extend]"));
    }

    [Fact]
    public async Task TheAnswersPerSecondChartStreamsWhileTheQuestionIsOpen()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");

        await SecondsOfAnswersAsync(cut, open);

        await cut.WaitForAssertionAsync(() => Assert.Contains("Answers per second: 30", cut.Find(".sparkline").TextContent));
        Assert.Contains("peak 80/s", cut.Find(".sparkline").TextContent);
        Assert.NotNull(cut.Find(".sparkline polyline"));
    }

    [Fact]
    public async Task AQuestionButtonIsNamedByTheNumberAndPromptItShows()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=live-question-1] .live-question-select");

        var button = cut.Find("[data-testid=live-question-1] .live-question-select");
        var visible = System.Text.RegularExpressions.Regex.Replace(button.TextContent, @"\s+", " ").Trim();
        var name = button.GetAttribute("aria-label") ?? visible;
        Assert.StartsWith("1 Which keyword declares a constant in C#?", visible);
        Assert.StartsWith(visible, name); // WCAG "label in name": "show question 1" alone cannot be said from what is seen
    }

    [Fact]
    public async Task TheAnswersPerSecondChartFallsToZeroAndSaysClosedOnceTheQuestionIsClosed()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");
        await SecondsOfAnswersAsync(cut, open);
        await cut.WaitForAssertionAsync(() => Assert.Contains("Answers per second: 30", cut.Find(".sparkline").TextContent));

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Contains("Closed", cut.Find("[data-testid=live-question-1] .state-chip").TextContent));
        Time.Advance(TimeSpan.FromSeconds(1));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Answers per second: closed", cut.Find(".sparkline").TextContent));
        Assert.DoesNotContain("Answers per second: 30", cut.Find(".sparkline").TextContent);
        Assert.EndsWith(",60", cut.Find(".sparkline polyline").GetAttribute("points")!.Trim()); // the line ends on the axis
        Assert.Contains("peak 80/s", cut.Find(".sparkline").TextContent);
    }

    [Fact]
    public async Task AReopenedQuestionsChartStreamsAgainRatherThanSayClosedWhileAnswersArrive()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");
        await SecondsOfAnswersAsync(cut, open);
        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        await cut.WaitForAssertionAsync(() => Assert.Contains("Answers per second: closed", cut.Find(".sparkline").TextContent));

        // Closed while the host was still speaking: reopened, and the answers come again, 40 in the next second.
        cut.Find("[data-testid=reopen-selected]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Reopen question 1");
        await cut.WaitForElementAsync("[data-testid=close-selected]");
        Live.Publish(Snapshot(open, 190));
        Time.Advance(TimeSpan.FromSeconds(1));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Answers per second: 40", cut.Find(".sparkline").TextContent));
        Assert.DoesNotContain("closed", cut.Find(".sparkline").TextContent);
    }

    /// <summary>
    /// Four seconds of answers, 0, 40, 120 and 150 in all: 40, 80 and 30 a second. Each second's tick is waited for before
    /// the next counts are published: a tick can run on the page's dispatcher a moment after the clock moved, and would then
    /// sample the next second's counts.
    /// </summary>
    async Task SecondsOfAnswersAsync(IRenderedComponent<LivePage> cut, Question open)
    {
        Live.Publish(Snapshot(open, 0));
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForElementAsync(".sparkline");
        foreach (var (answers, rate) in new[] { (40, 40), (120, 80), (150, 30) })
        {
            Live.Publish(Snapshot(open, answers));
            Time.Advance(TimeSpan.FromSeconds(1));
            await cut.WaitForAssertionAsync(() => Assert.Contains($"Answers per second: {rate}", cut.Find(".sparkline").TextContent));
        }
    }

    [Fact]
    public async Task APageOpenedAfterTheAnswersCameShowsNoPeakOfZero()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        Live.Publish(Snapshot(open, 40)); // the answers came before this tab was opened (a reload, a second laptop)
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");
        Time.Advance(TimeSpan.FromSeconds(1));
        Time.Advance(TimeSpan.FromSeconds(1));

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        Time.Advance(TimeSpan.FromSeconds(1));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Answers per second: closed", cut.Find(".sparkline").TextContent));
        Assert.DoesNotContain("peak", cut.Find(".sparkline").TextContent);
    }

    [Fact]
    public async Task SendingErrorsAndTheOutboxBacklogAreVisible()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelAnnouncement, Status = OutboxStatus.Failed,
                LastError = "Bad Request: chat not found", CreatedAt = Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=outbox-errors]");

        Live.Publish(new LiveSnapshot(Time.GetUtcNow(), [], [], OutboxBacklog: 37, OutboxFailed: 1));

        await cut.WaitForAssertionAsync(() => Assert.Equal("37", cut.Find("[data-testid=outbox-backlog]").TextContent));
        Assert.Equal("1", cut.Find("[data-testid=outbox-failed]").TextContent);
        Assert.Contains("Question post to @codeweek: Bad Request: chat not found", cut.Find("[data-testid=outbox-errors]").TextContent);
        Assert.Equal("· about 2 s to send at 30 a second", cut.Find("[data-testid=outbox-eta]").TextContent.Trim());

        // A crowd's acknowledgements: minutes at Telegram's pace, and the page says so.
        Live.Publish(new LiveSnapshot(Time.GetUtcNow(), [], [], OutboxBacklog: 9_000, OutboxFailed: 1));
        Time.Advance(TimeSpan.FromSeconds(1)); // the page hears at most four changes a second
        await cut.WaitForAssertionAsync(() => Assert.Equal("· about 5 min to send at 30 a second", cut.Find("[data-testid=outbox-eta]").TextContent.Trim()));

        Live.Publish(new LiveSnapshot(Time.GetUtcNow(), [], [], OutboxBacklog: 30, OutboxFailed: 1));
        Time.Advance(TimeSpan.FromSeconds(1)); // the page hears at most four changes a second
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("[data-testid=outbox-eta]")));
    }

    async Task<OutboxMessage> AddChannelPostAsync(Question question, OutboxPurpose purpose, OutboxStatus status, string? error = null)
    {
        await using var db = await Db.CreateDbContextAsync();
        var post = new OutboxMessage
        {
            ChatId = "@codeweek", Purpose = purpose, QuestionId = question.Id, Status = status, LastError = error,
            CreatedAt = Time.GetUtcNow(), NotBefore = Time.GetUtcNow(), SentAt = status == OutboxStatus.Sent ? Time.GetUtcNow() : null,
        };
        db.OutboxMessages.Add(post);
        await db.SaveChangesAsync();
        return post;
    }

    async Task UpdatePostAsync(OutboxMessage post, OutboxStatus status, string? error, int attempts)
    {
        await using var db = await Db.CreateDbContextAsync();
        DateTimeOffset? sentAt = status == OutboxStatus.Sent ? Time.GetUtcNow() : null;
        await db.OutboxMessages.Where(m => m.Id == post.Id).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.Status, status).SetProperty(m => m.LastError, error)
            .SetProperty(m => m.Attempts, attempts).SetProperty(m => m.SentAt, sentAt));
    }

    string LocalTime(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss");

    [Fact]
    public async Task TheOrganizerSeesWhenTheResultsPostIsWaitingRetriedAndPosted()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SetChannelAsync(quizEvent, "@codeweek");
        await AddChannelPostAsync(open, OutboxPurpose.ChannelAnnouncement, OutboxStatus.Sent);
        await AddChannelPostAsync(open, OutboxPurpose.ChannelCount, OutboxStatus.Pending); // count edits are not shown
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        var announcement = "[data-testid=channel-post-ChannelAnnouncement]";
        await cut.WaitForAssertionAsync(() => Assert.Contains($"posted at {LocalTime(Time.GetUtcNow())}", cut.Find(announcement).TextContent));
        Assert.Contains("Question post to @codeweek", cut.Find(announcement).TextContent);
        Assert.Empty(cut.FindAll("[data-testid=channel-post-ChannelResults]"));

        // The pipeline queues the results post in the commit that closes the question.
        var results = await AddChannelPostAsync(open, OutboxPurpose.ChannelResults, OutboxStatus.Pending);
        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        var resultsPost = "[data-testid=channel-post-ChannelResults]";
        await cut.WaitForAssertionAsync(() => Assert.Contains("Results post to @codeweek: waiting to be sent", cut.Find(resultsPost).TextContent));
        Assert.Contains("is being posted to @codeweek", Assert.Single(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars).Message);

        await UpdatePostAsync(results, OutboxStatus.Pending, "Telegram did not answer within 10 s", attempts: 1);
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Contains("not sent yet, trying again (Telegram did not answer within 10 s)", cut.Find(resultsPost).TextContent));
        Assert.Contains("retrying", cut.Find(resultsPost).ClassName);

        var sentAt = Time.GetUtcNow().AddSeconds(0.5);
        Time.Advance(TimeSpan.FromSeconds(0.5));
        await UpdatePostAsync(results, OutboxStatus.Sent, null, attempts: 2);
        Time.Advance(TimeSpan.FromSeconds(0.5));
        await cut.WaitForAssertionAsync(() => Assert.Contains($"posted at {LocalTime(sentAt)}", cut.Find(resultsPost).TextContent));
        Assert.Contains("sent", cut.Find(resultsPost).ClassName);
        Assert.Contains("correct", cut.Find("[data-testid=percent-correct]").ParentElement!.TextContent);
        Assert.DoesNotContain("so far", cut.Find("[data-testid=percent-correct]").ParentElement!.TextContent);
    }

    [Fact]
    public async Task APostTelegramRefusedIsShownWithTelegramsReason()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SetChannelAsync(quizEvent, "@codeweek");
        await AddChannelPostAsync(open, OutboxPurpose.ChannelAnnouncement, OutboxStatus.Failed, "403: Forbidden: bot is not a member of the channel chat");
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Telegram refused it: 403: Forbidden: bot is not a member of the channel chat",
            cut.Find("[data-testid=channel-post-ChannelAnnouncement]").TextContent));
        Assert.Contains("failed", cut.Find("[data-testid=channel-post-ChannelAnnouncement]").ClassName);
    }

    [Theory]
    [InlineData("403: Forbidden: bot is not a member of the channel chat", true)]
    [InlineData("400: Bad Request: need administrator rights in the channel chat", true)]
    [InlineData("400: Bad Request: not enough rights to send text messages to the chat", true)]
    [InlineData("400: Bad Request: chat not found", true)]
    [InlineData("400: Bad Request: can't parse entities: unsupported start tag \"span\"", false)]
    [InlineData("400: Bad Request: message is too long", false)]
    public async Task ARefusedPostSaysHowToLetTheBotPostOnlyWhenTelegramRefusedTheChat(string error, bool hint)
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SetChannelAsync(quizEvent, "@codeweek");
        await AddChannelPostAsync(open, OutboxPurpose.ChannelAnnouncement, OutboxStatus.Failed, error);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForElementAsync("[data-testid=channel-post-again-ChannelAnnouncement]", TimeSpan.FromSeconds(10));
        Assert.Equal(hint, cut.FindAll("[data-testid=channel-post-fix-ChannelAnnouncement]").Count == 1);
    }

    [Fact]
    public async Task ARefusedPostIsPostedAgainWithOneClickOnceTheChannelIsFixed()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SetChannelAsync(quizEvent, "@codeweek");
        var refused = await AddChannelPostAsync(open, OutboxPurpose.ChannelAnnouncement, OutboxStatus.Failed, "403: Forbidden: bot is not a member of the channel chat");
        await UpdatePostAsync(refused, OutboxStatus.Failed, refused.LastError, attempts: 1);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var counters = ctx.Services.GetRequiredService<OutboxCounters>();
        counters.Reset(pending: 0, failed: 1);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        var announcement = "[data-testid=channel-post-ChannelAnnouncement]";
        await cut.WaitForElementAsync("[data-testid=channel-post-again-ChannelAnnouncement]");
        Assert.Contains("Make the bot an administrator of the channel", cut.Find("[data-testid=channel-post-fix-ChannelAnnouncement]").TextContent);

        await cut.InvokeAsync(() => cut.Find("[data-testid=channel-post-again-ChannelAnnouncement]").ClickAsync(new()));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Question post to @codeweek: waiting to be sent", cut.Find(announcement).TextContent));
        Assert.Empty(cut.FindAll("[data-testid^=channel-post-again-]"));
        Assert.Empty(cut.FindAll("[data-testid^=channel-post-fix-]"));
        var row = await QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.Id == refused.Id));
        Assert.Equal((OutboxStatus.Pending, 0, null), (row.Status, row.Attempts, row.LastError));
        Assert.Equal((1, 0), (counters.Pending, counters.Failed));
        Assert.Contains("queued again", Assert.Single(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars).Message);

        // Refused again, and the question closed meanwhile: an announcement of a closed question is not posted again,
        // a results post is.
        await UpdatePostAsync(refused, OutboxStatus.Failed, "403: Forbidden: bot is not a member of the channel chat", attempts: 1);
        await AddChannelPostAsync(open, OutboxPurpose.ChannelResults, OutboxStatus.Failed, "403: Forbidden: bot is not a member of the channel chat");
        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));
        await cut.WaitForElementAsync("[data-testid=channel-post-again-ChannelResults]");
        Assert.Empty(cut.FindAll("[data-testid=channel-post-again-ChannelAnnouncement]"));
    }

    [Fact]
    public async Task APostRefusedForAMistypedChannelIsPostedAgainToTheChannelAsCorrected()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SetChannelAsync(quizEvent, "@codeweekk");
        var refused = await AddChannelPostAsync(open, OutboxPurpose.ChannelAnnouncement, OutboxStatus.Failed, "400: Bad Request: chat not found");
        await QueryAsync(db => db.OutboxMessages.Where(m => m.Id == refused.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.ChatId, "@codeweekk")));
        // The organizer corrects the channel in the event settings, then comes back to the live page.
        await SetChannelAsync(quizEvent, "@codeweek");
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        var announcement = "[data-testid=channel-post-ChannelAnnouncement]";
        await cut.WaitForElementAsync("[data-testid=channel-post-again-ChannelAnnouncement]", TimeSpan.FromSeconds(10));
        Assert.Contains("Question post to @codeweekk: Telegram refused it: 400: Bad Request: chat not found", cut.Find(announcement).TextContent);
        Assert.Contains("Post again posts it to @codeweek.", cut.Find(announcement).TextContent);
        Assert.Empty(cut.FindAll("[data-testid=channel-post-fix-ChannelAnnouncement]")); // the channel is corrected already

        await cut.InvokeAsync(() => cut.Find("[data-testid=channel-post-again-ChannelAnnouncement]").ClickAsync(new()));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Question post to @codeweek: waiting to be sent", cut.Find(announcement).TextContent),
            TimeSpan.FromSeconds(10));
        var row = await QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.Id == refused.Id));
        Assert.Equal((OutboxStatus.Pending, "@codeweek"), (row.Status, row.ChatId));
    }

    [Fact]
    public async Task WhileTelegramCannotBeReachedThePageSaysSoAndThatNothingIsLost()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var counters = ctx.Services.GetRequiredService<OutboxCounters>();
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=outbox-status]");
        Assert.Empty(cut.FindAll("[data-testid=telegram-outage]"));

        var since = Time.GetUtcNow();
        counters.Outage.Raise(since, "Connection refused");
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Contains(
            $"Telegram cannot be reached since {LocalTime(since)} (Connection refused)", cut.Find("[data-testid=telegram-outage]").TextContent));
        Assert.Contains("go out as soon as Telegram answers again", cut.Find("[data-testid=telegram-outage]").TextContent);

        counters.Outage.Clear();
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("[data-testid=telegram-outage]")));
    }

    [Fact]
    public async Task SendingErrorsAreThoseOfThisShowAndParticipantsWhoBlockedTheBotAreOnlyCounted()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        var began = open.OpenedAt!.Value;
        await AddFailedAsync("-1001234567890", "403: Forbidden: bot is not a member of the channel chat", began - TimeSpan.FromDays(1)); // the rehearsal's
        await AddFailedAsync("4242", "403: Forbidden: bot was blocked by the user", began + TimeSpan.FromSeconds(5));
        await AddFailedAsync("4343", "403: Forbidden: user is deactivated", began + TimeSpan.FromSeconds(6));
        await AddFailedAsync("777", "400: Bad Request: chat not found", began + TimeSpan.FromSeconds(7));
        await AddFailedAsync("@codeweek", "403: Forbidden: bot is not a member of the channel chat", began + TimeSpan.FromSeconds(8));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForElementAsync("[data-testid=outbox-errors]");
        Assert.Equal("2", cut.Find("[data-testid=outbox-failed]").TextContent);
        Assert.Contains("Participants who blocked the bot: 2", cut.Find("[data-testid=outbox-gone]").TextContent);
        var listed = cut.Find("[data-testid=outbox-errors]").TextContent;
        Assert.Contains("to @codeweek: 403: Forbidden: bot is not a member", listed);
        Assert.Contains("to 777: 400: Bad Request: chat not found", listed);
        Assert.DoesNotContain("-1001234567890", listed);
        Assert.DoesNotContain("blocked by the user", listed);

        // Started over: every question a draft again, the show has not begun, and nothing is shown in red.
        await using (var db = await Db.CreateDbContextAsync())
            await db.Questions.Where(q => q.EventId == quizEvent.Id)
                .ExecuteUpdateAsync(q => q.SetProperty(x => x.State, QuestionState.Draft).SetProperty(x => x.OpenedAt, (DateTimeOffset?)null));
        var again = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await again.WaitForElementAsync("[data-testid=outbox-status]");
        Assert.Equal("0", again.Find("[data-testid=outbox-failed]").TextContent);
        Assert.Empty(again.FindAll("[data-testid=outbox-errors]"));
        Assert.Empty(again.FindAll("[data-testid=outbox-gone]"));
    }

    [Fact]
    public async Task TheSameRefusalOverAndOverIsOneLineAndLeavesRoomForTheOthers()
    {
        // The bot was removed from the channel during the show: the results post was refused, and then every count edit of
        // the open question, every few seconds. Listed one by one they would push the results post out of the newest five.
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        var began = open.OpenedAt!.Value;
        const string notMember = "403: Forbidden: bot is not a member of the channel chat";
        await AddFailedAsync("@codeweek", "400: Bad Request: message is too long", began + TimeSpan.FromSeconds(5));
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.OutboxMessages.AddRange(Enumerable.Range(0, 12).Select(i => new OutboxMessage
            {
                ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelCount, Status = OutboxStatus.Failed, LastError = notMember,
                CreatedAt = began + TimeSpan.FromSeconds(10 + 5 * i), Attempts = 1,
            }));
            await db.SaveChangesAsync();
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));

        await cut.WaitForElementAsync("[data-testid=outbox-errors]");
        var lines = cut.FindAll("[data-testid=outbox-errors] li").Select(li => li.TextContent).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains($"to @codeweek: {notMember} (12 times)", lines[0]);
        Assert.Contains("to @codeweek: 400: Bad Request: message is too long", lines[1]);
        Assert.DoesNotContain("times", lines[1]);
        Assert.Equal("13", cut.Find("[data-testid=outbox-failed]").TextContent);
    }

    async Task AddFailedAsync(string chatId, string error, DateTimeOffset createdAt)
    {
        await using var db = await Db.CreateDbContextAsync();
        var toParticipant = long.TryParse(chatId, out var id) && id > 0;
        db.OutboxMessages.Add(new OutboxMessage
        {
            ChatId = chatId, Purpose = toParticipant ? OutboxPurpose.Reply : OutboxPurpose.ChannelResults,
            Status = OutboxStatus.Failed, LastError = error, CreatedAt = createdAt, Attempts = 1,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task TimesAreShownOnTheOrganizersClockNotTheServers()
    {
        // A cloud server runs on UTC; the organizer's browser said it is elsewhere (see MainLayout).
        var zone = ZoneOtherThanTheServers();
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddCascadingValue(_ => new BrowserClock(zone));
        var counters = ctx.Services.GetRequiredService<OutboxCounters>();
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=outbox-status]");

        var since = Time.GetUtcNow();
        counters.Outage.Raise(since, "Connection refused");
        Live.Storage.Raise(since, "database or disk is full");
        Time.Advance(TimeSpan.FromSeconds(1));

        var organizers = TimeZoneInfo.ConvertTime(since, zone).ToString("HH:mm:ss");
        Assert.NotEqual(LocalTime(since), organizers);
        await cut.WaitForAssertionAsync(() => Assert.Contains($"since {organizers} (Connection refused)", cut.Find("[data-testid=telegram-outage]").TextContent));
        Assert.Contains($"since {organizers} (database or disk is full)", cut.Find("[data-testid=storage-trouble]").TextContent);
        // The exact instant stays in the markup for anyone who needs it.
        Assert.Equal(since.ToUniversalTime().ToString("O"), cut.Find("[data-testid=telegram-outage] time").GetAttribute("datetime"));
        counters.Outage.Clear();
        Live.Storage.Clear();
    }

    /// <summary>A zone whose clock differs from the server's now, whatever zone the machine running the tests is in.</summary>
    internal static TimeZoneInfo ZoneOtherThanTheServers()
    {
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        return kolkata.GetUtcOffset(DateTimeOffset.UtcNow) != TimeZoneInfo.Local.GetUtcOffset(DateTimeOffset.UtcNow)
            ? kolkata
            : TimeZoneInfo.FindSystemTimeZoneById("America/Caracas");
    }

    [Fact]
    public async Task WhileAnswersCannotBeStoredThePageSaysSoInRed()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=outbox-status]");
        Assert.Empty(cut.FindAll("[data-testid=storage-trouble]"));

        var since = Time.GetUtcNow();
        Live.Storage.Raise(since, "database or disk is full");
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Contains(
            $"Answers cannot be stored since {LocalTime(since)} (database or disk is full)", cut.Find("[data-testid=storage-trouble]").TextContent));

        Live.Storage.Clear();
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("[data-testid=storage-trouble]")));
    }

    [Fact]
    public async Task WhileTheDatabasesLogGrowsThePageSaysWhyInYellow()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=outbox-status]");
        Assert.Empty(cut.FindAll("[data-testid=log-growth]"));

        var since = Time.GetUtcNow();
        Live.LogGrowth.Raise(since, "312 MB");
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() =>
        {
            var alert = cut.Find("[data-testid=log-growth]");
            Assert.Contains($"has grown to 312 MB since {LocalTime(since)}", alert.TextContent);
            Assert.Contains("another program", alert.TextContent);
            Assert.Contains("mud-alert-text-warning", alert.ClassName);
        });

        Live.LogGrowth.Clear();
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("[data-testid=log-growth]")));
    }

    [Fact]
    public async Task ALinkInASentenceIsUnderlinedNotToldByItsColourAlone()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        var empty = await SeedEventAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var withoutChannel = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        var withoutQuestions = ctx.Render<LivePage>(p => p.Add(x => x.EventId, empty.Id));

        await withoutChannel.WaitForElementAsync("[data-testid=no-channel] a");
        await withoutQuestions.WaitForAssertionAsync(() => Assert.Contains(withoutQuestions.FindAll("a"), a => a.TextContent == "Add some"), TimeSpan.FromSeconds(10));
        Assert.Contains("mud-link-underline-always", withoutChannel.Find("[data-testid=no-channel] a").ClassName);
        Assert.Contains("mud-link-underline-always", withoutQuestions.FindAll("a").Single(a => a.TextContent == "Add some").ClassName);
    }

    [Fact]
    public async Task WithoutAChannelThePageSaysTheRankingIsNotPosted()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=no-channel]");
        Assert.Empty(cut.FindAll("[data-testid^=channel-post-]"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Closed", cut.Find("[data-testid=live-question-1] .state-chip").TextContent));
        Assert.Contains("No results channel is set", cut.Find("[data-testid=no-channel]").TextContent);
        Assert.Equal("Question 1 is closed. No results channel is set, so the ranking is not posted.",
            Assert.Single(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars).Message);
    }

    [Fact]
    public async Task LeavingThePageEndsItsSubscription()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");
        var renders = cut.RenderCount;

        await ctx.DisposeComponentsAsync();
        Live.Publish(Snapshot(open, 5));
        Time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(cut.IsDisposed);
        Assert.Equal(renders, cut.RenderCount);
    }

    [Fact]
    public async Task APageLeftWhileItsFirstReadingRunsFollowsNothingAfterwards()
    {
        // An organizer reloading the live page while the database is slow: the page is gone before its first reading ends.
        // It must not start following the live stats, the co-hosts' changes and a ticking timer once that reading ends:
        // every such reload would leave one more, running for the rest of the event.
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var held = new HeldDatabase(Db, during: "LoadLeftOutAsync");
        ctx.Services.AddSingleton<IDbContextFactory<QuizDbContext>>(held);
        var changes = ctx.Services.GetRequiredService<CatalogChanges>();
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(10));

        await ctx.DisposeComponentsAsync();
        held.Release();
        await held.Left.WaitAsync(TimeSpan.FromSeconds(10));
        for (var waited = 0; waited < 1_000 && SubscribersOf(Live) + SubscribersOf(changes) == 0; waited += 20)
            await Task.Delay(20);

        Assert.True(cut.IsDisposed);
        Assert.Equal(0, SubscribersOf(Live));
        Assert.Equal(0, SubscribersOf(changes));
    }

    static int SubscribersOf(object publisher) =>
        publisher.GetType()
            .GetField("_subscribers", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
            .GetValue(publisher) switch
        {
            CodeQuiz.Core.Live.ThrottledSubscribers pages => pages.Count,
            var list => ((System.Collections.ICollection)list!).Count,
        };

    /// <summary>A database whose context for the page's step <paramref name="during"/> is handed out only once released.</summary>
    sealed class HeldDatabase(IDbContextFactory<QuizDbContext> inner, string during) : IDbContextFactory<QuizDbContext>
    {
        readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly TaskCompletionSource _left = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public Task Left => _left.Task;

        public void Release() => _released.TrySetResult();

        public QuizDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<QuizDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            if (!Environment.StackTrace.Contains(during, StringComparison.Ordinal) || !_reached.TrySetResult())
                return inner.CreateDbContext();
            await _released.Task; // a connection on its way: it comes, cancelled or not
            _left.TrySetResult();
            return inner.CreateDbContext();
        }
    }

    [Fact]
    public async Task EachQuestionOfTheListSaysWhatItsNumberCounts()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=answer-count]");
        Live.Publish(Snapshot(open, 2));
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Equal("2", cut.Find("[data-testid=live-question-1] .live-question-count").TextContent), TimeSpan.FromSeconds(10));

        // Read out after the state: "Open, 2 answers", not "Open, 2".
        Assert.Contains("2 answers", cut.Find("[data-testid=live-question-1]").TextContent);
    }

    [Fact]
    public async Task AStartOverFromAnotherTabLeavesNoStaleCountsOnTheLivePage()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SeedAnswersAsync(open, ("Ada", null, null, "const", true, 2), ("Bob", null, null, "var", false, 3), ("Cy", null, null, "const", true, 4));
        await Lifecycle.CloseAsync(open.Id);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForAssertionAsync(() => Assert.Equal("3", cut.Find("[data-testid=answer-count]").TextContent));

        await Lifecycle.StartOverAsync(quizEvent.Id); // from the event page, on a co-host's laptop
        for (var i = 0; i < 6; i++) Time.Advance(TimeSpan.FromSeconds(1));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Draft", cut.Find("[data-testid=live-question-1] .state-chip").TextContent));
        Assert.Equal("0", cut.Find("[data-testid=live-question-1] .live-question-count").TextContent);
        Assert.Equal("0", cut.Find("[data-testid=answer-count]").TextContent);
    }

    [Fact]
    public async Task ACloseTheDatabaseRefusesIsReportedAndThePageCarriesOn()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddSingleton<IQuizLifecycle>(new RefusingLifecycle(Lifecycle));
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        Assert.Contains("Not done, nothing was changed: SQLite Error 13: 'database or disk is full'.",
            ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message);
        await cut.WaitForAssertionAsync(() => Assert.Contains("Open", cut.Find("[data-testid=live-question-1] .state-chip").TextContent));
        Assert.False(cut.Find("[data-testid=close-selected]").HasAttribute("disabled")); // the host can try again
    }

    [Fact]
    public async Task AQuestionTheDatabaseDoesNotAnswerForIsReportedAndTheQuestionShownStays()
    {
        var open = FreeText("Which keyword declares a constant in C#?", "const");
        open.Open(Time.GetUtcNow());
        var closed = FreeText();
        closed.Open(Time.GetUtcNow());
        closed.Close(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(closed, open);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]", TimeSpan.FromSeconds(15));
        // As with a database server restarting: the page's readings fail.
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Answers RENAME TO AnswersAway"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=live-question-1] .live-question-select").ClickAsync(new()));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Question 1 could not be read: SQLite Error 1: 'no such table: Answers'.",
            ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message), TimeSpan.FromSeconds(15));
        Assert.Equal("true", cut.Find("[data-testid=live-question-2] .live-question-select").GetAttribute("aria-pressed"));
        Assert.Contains("Question 2", cut.Find("[data-testid=live-focus] h2").TextContent);
        Assert.False(cut.Find("[data-testid=close-selected]").HasAttribute("disabled")); // the running question can still be closed
    }

    [Fact]
    public async Task ACloseTheDatabaseDoesNotAnswerIsReportedAndThePageKeepsWhatItShowed()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]", TimeSpan.FromSeconds(15));
        // As with a database server restarting: the close fails, and so does the page's reading after it.
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Questions RENAME TO QuestionsAway"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        await NoticeAsync(ctx, "Not done, nothing was changed: SQLite Error 1: 'no such table: Questions'.");
        await NoticeAsync(ctx, "The questions could not be read: SQLite Error 1: 'no such table: Questions'. The page keeps showing what it read before.");
        Assert.Contains("Open", cut.Find("[data-testid=live-question-1] .state-chip").TextContent);
        Assert.False(cut.Find("[data-testid=close-selected]").HasAttribute("disabled")); // the host can try again
    }

    [Fact]
    public async Task AnOpenWhoseListTheDatabaseDoesNotAnswerIsReportedAndNothingIsOpened()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=open-question-2]", TimeSpan.FromSeconds(15));
        // Question 1 is open: the list is read again before asking whether to open a second one, and the database does not answer.
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Questions RENAME TO QuestionsAway"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=open-question-2]").ClickAsync(new()));

        await NoticeAsync(ctx, "Not done, nothing was changed: SQLite Error 1: 'no such table: Questions'.");
        Assert.Empty(Lifecycle.Opened);
        Assert.Contains("Draft", cut.Find("[data-testid=live-question-2] .state-chip").TextContent);
        Assert.False(cut.Find("[data-testid=open-question-2]").HasAttribute("disabled"));
        Assert.False(cut.Find("[data-testid=close-selected]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task APostAgainTheDatabaseDoesNotAnswerIsReportedAndThePageKeepsWhatItShowed()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SetChannelAsync(quizEvent, "@codeweek");
        await AddChannelPostAsync(open, OutboxPurpose.ChannelAnnouncement, OutboxStatus.Failed, "403: Forbidden: bot is not a member of the channel chat");
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<LivePage>(p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=channel-post-again-ChannelAnnouncement]", TimeSpan.FromSeconds(15));
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE OutboxMessages RENAME TO OutboxMessagesAway"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=channel-post-again-ChannelAnnouncement]").ClickAsync(new()));

        await NoticeAsync(ctx, "Not done, nothing was changed: SQLite Error 1: 'no such table: OutboxMessages'.");
        await NoticeAsync(ctx, "The channel posts could not be read: SQLite Error 1: 'no such table: OutboxMessages'.");
        Assert.Contains("Telegram refused it", cut.Find("[data-testid=channel-post-ChannelAnnouncement]").TextContent);
        Assert.False(cut.Find("[data-testid=channel-post-again-ChannelAnnouncement]").HasAttribute("disabled")); // to post it again
    }

    [Fact]
    public async Task ReadingsEveryFewSecondsTheDatabaseDoesNotAnswerAreSaidOnceAndThePageCarriesOn()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = RenderAsTheConsoleDoes(ctx, quizEvent);
        await cut.WaitForElementAsync("[data-testid=close-selected]", TimeSpan.FromSeconds(15));
        // As with a database server restarting: the page's readings fail.
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Questions RENAME TO QuestionsAway"));

        for (var i = 0; i < 6; i++) Time.Advance(TimeSpan.FromSeconds(1));

        await NoticeAsync(ctx, "The live page could not be read: SQLite Error 1: 'no such table: Questions'. The page keeps showing what it read before.");
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
        Assert.False(cut.Find("[data-testid=close-selected]").HasAttribute("disabled"));
        // Not said again every few seconds over what the host's next step says.
        var notices = ctx.Services.GetRequiredService<ISnackbar>();
        notices.Clear();
        for (var i = 0; i < 10; i++) Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("[data-testid=page-error]")), TimeSpan.FromSeconds(15));
        Assert.Empty(notices.ShownSnackbars);
    }

    [Fact]
    public async Task WhileTheDatabaseDoesNotAnswerTheCountdownGoesOn()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync(timeLimitSeconds: 60);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = RenderAsTheConsoleDoes(ctx, quizEvent);
        await cut.WaitForAssertionAsync(() => Assert.Equal("1:00", cut.Find("[data-testid=countdown]").TextContent.Trim()), TimeSpan.FromSeconds(15));
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Questions RENAME TO QuestionsAway"));

        for (var i = 0; i < 10; i++) Time.Advance(TimeSpan.FromSeconds(1)); // the page's readings at 5 s and 10 s fail

        await cut.WaitForAssertionAsync(() => Assert.Equal("0:50", cut.Find("[data-testid=countdown]").TextContent.Trim()), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task ACoHostsChangeTheDatabaseDoesNotAnswerIsSaidAndThePageCarriesOn()
    {
        var (quizEvent, _) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = RenderAsTheConsoleDoes(ctx, quizEvent);
        await cut.WaitForElementAsync("[data-testid=close-selected]", TimeSpan.FromSeconds(15));
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Questions RENAME TO QuestionsAway"));

        await cut.InvokeAsync(() => ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(quizEvent.Id, EventItself: false)));

        await NoticeAsync(ctx, "The live page could not be read: SQLite Error 1: 'no such table: Questions'.");
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
        Assert.False(cut.Find("[data-testid=close-selected]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ASendingErrorTheDatabaseDoesNotAnswerForIsSaidAndThePageCarriesOn()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = RenderAsTheConsoleDoes(ctx, quizEvent);
        await cut.WaitForElementAsync("[data-testid=close-selected]", TimeSpan.FromSeconds(15));
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE OutboxMessages RENAME TO OutboxMessagesAway"));

        Live.Publish(Snapshot(open, 1, outboxFailed: 1)); // the page reads which message Telegram refused
        Time.Advance(TimeSpan.FromSeconds(1));

        await NoticeAsync(ctx, "The live page could not be read: SQLite Error 1: 'no such table: OutboxMessages'.");
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
        Assert.False(cut.Find("[data-testid=close-selected]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ACloseRefusedAsAlreadyDoneWhoseStateTheDatabaseDoesNotAnswerSaysTheRefusalAndThePageCarriesOn()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddSingleton<IQuizLifecycle>(new ThenSilentLifecycle(Lifecycle, this, "Questions"));
        var cut = RenderAsTheConsoleDoes(ctx, quizEvent);
        await cut.WaitForElementAsync("[data-testid=close-selected]", TimeSpan.FromSeconds(15));
        await Lifecycle.CloseAsync(open.Id); // the co-host's click, a moment before the host's

        await cut.InvokeAsync(() => cut.Find("[data-testid=close-selected]").ClickAsync(new()));

        await NoticeAsync(ctx, "Question 1 is closed; only an open question can be closed.");
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
        Assert.NotNull(cut.Find("[data-testid=live-focus]"));
    }

    [Fact]
    public async Task ANameLeftOutWhoseRankingTheDatabaseDoesNotAnswerIsSaidLeftOutNotRefused()
    {
        var (quizEvent, open) = await SeedOpenQuestionAsync();
        await SeedAnswersAsync(open, ("Rude Name", null, null, "const", true, 1.0), ("Grace", null, null, "const", true, 3.4));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddSingleton<IQuizLifecycle>(new ThenSilentLifecycle(Lifecycle, this, "Answers"));
        var (cut, providers) = RenderPage<LivePage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await cut.WaitForElementAsync("[data-testid=close-selected]", TimeSpan.FromSeconds(15));
        await Lifecycle.CloseAsync(open.Id);
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(quizEvent.Id, EventItself: false));
        await cut.WaitForElementAsync("[data-testid=ranked-leave-out-1001]", TimeSpan.FromSeconds(15));

        cut.Find("[data-testid=ranked-leave-out-1001]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Leave out");

        // Stored: the host must not believe the name is still on the podium and leave them out again.
        await NoticeAsync(ctx, "Rude Name is left out of the rankings.");
        await NoticeAsync(ctx, "The ranking could not be read: SQLite Error 1: 'no such table: Answers'.");
        Assert.DoesNotContain(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars, n => n.Message?.StartsWith("Not done") == true);
        Assert.Equal([(1001L, true)], Lifecycle.LeftOut);
    }

    /// <summary>A pipeline that does each step, and then the database stops answering, as with a server restarting.</summary>
    sealed class ThenSilentLifecycle(IQuizLifecycle inner, LivePageTests test, string table) : IQuizLifecycle
    {
        public Task<Question> OpenAsync(int questionId, bool onlyIfNoneOpen = false, CancellationToken cancellationToken = default) =>
            ThenSilentAsync(() => inner.OpenAsync(questionId, onlyIfNoneOpen, cancellationToken));
        public Task<Question> CloseAsync(int questionId, CancellationToken cancellationToken = default) => ThenSilentAsync(() => inner.CloseAsync(questionId, cancellationToken));
        public Task<Question> ReopenAsync(int questionId, CancellationToken cancellationToken = default) => ThenSilentAsync(() => inner.ReopenAsync(questionId, cancellationToken));
        public Task<Question> WithdrawAsync(int questionId, CancellationToken cancellationToken = default) => ThenSilentAsync(() => inner.WithdrawAsync(questionId, cancellationToken));
        public Task<Question> ExtendAsync(int questionId, int seconds, int? expectedExtraSeconds = null, CancellationToken cancellationToken = default) =>
            ThenSilentAsync(() => inner.ExtendAsync(questionId, seconds, expectedExtraSeconds, cancellationToken));
        public Task<EventStartedOver> StartOverAsync(int eventId, CancellationToken cancellationToken = default) => ThenSilentAsync(() => inner.StartOverAsync(eventId, cancellationToken));
        public Task<RankingChange?> LeaveOutAsync(long participantId, bool leaveOut, CancellationToken cancellationToken = default) =>
            ThenSilentAsync(() => inner.LeaveOutAsync(participantId, leaveOut, cancellationToken));
        public void CatalogChanged() => inner.CatalogChanged();

        async Task<T> ThenSilentAsync<T>(Func<Task<T>> step)
        {
            try
            {
                return await step();
            }
            finally
            {
                var rename = $"ALTER TABLE {table} RENAME TO {table}Away"; // a table name of this test's own
                await test.QueryAsync(db => db.Database.ExecuteSqlRawAsync(rename));
            }
        }
    }

    /// <summary>The live page in the console's error boundary, which shows "This page ran into a problem" in place of a page that fails.</summary>
    static IRenderedComponent<PageErrorBoundary> RenderAsTheConsoleDoes(BunitContext ctx, QuizEvent quizEvent) =>
        ctx.Render<PageErrorBoundary>(p => p.AddChildContent<LivePage>(c => c.Add(x => x.EventId, quizEvent.Id)));

    /// <summary>A pipeline whose database refuses every close and ranking change, as with its disk full.</summary>
    sealed class RefusingLifecycle(IQuizLifecycle inner) : IQuizLifecycle
    {
        static Exception DiskFull => new Microsoft.Data.Sqlite.SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
        public Task<Question> OpenAsync(int questionId, bool onlyIfNoneOpen = false, CancellationToken cancellationToken = default) => inner.OpenAsync(questionId, onlyIfNoneOpen, cancellationToken);
        public Task<Question> CloseAsync(int questionId, CancellationToken cancellationToken = default) => Task.FromException<Question>(DiskFull);
        public Task<Question> ReopenAsync(int questionId, CancellationToken cancellationToken = default) => Task.FromException<Question>(DiskFull);
        public Task<Question> WithdrawAsync(int questionId, CancellationToken cancellationToken = default) => Task.FromException<Question>(DiskFull);
        public Task<Question> ExtendAsync(int questionId, int seconds, int? expectedExtraSeconds = null, CancellationToken cancellationToken = default) =>
            inner.ExtendAsync(questionId, seconds, expectedExtraSeconds, cancellationToken);
        public Task<EventStartedOver> StartOverAsync(int eventId, CancellationToken cancellationToken = default) => Task.FromException<EventStartedOver>(DiskFull);
        public Task<RankingChange?> LeaveOutAsync(long participantId, bool leaveOut, CancellationToken cancellationToken = default) => Task.FromException<RankingChange?>(DiskFull);
        public void CatalogChanged() => inner.CatalogChanged();
    }
}
