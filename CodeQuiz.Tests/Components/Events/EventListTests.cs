using Bunit;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Web.Components.Pages.Events;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Events;

public class EventListTests : ConsoleTestBase
{
    [Fact]
    public async Task AnEventWithoutANameIsRefusedWithTheMessageAtTheNameField()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync("[data-testid=event-new]");

        page.Find("[data-testid=event-new]").Click();
        await page.Find("[data-testid=event-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("The name is required.", page.Find("[data-testid=event-create-form]").TextContent));
        Assert.Equal(0, await QueryAsync(db => db.Events.CountAsync()));
        Assert.Equal(0, Lifecycle.CatalogChanges);
    }

    [Fact]
    public async Task InARehearsalTheChannelsHintSaysAnyNameWillDoAndWithARealBotItDoesNot()
    {
        // Rehearsal mode (no token): an organizer with no channel yet learns that one made up works, so the rehearsal
        // shows the results posts; with a real bot the channel must be a real one, and the hint does not say otherwise.
        foreach (var (token, rehearsal) in new[] { ((string?)null, true), ("123456:ABC-real-token", false) })
        {
            Telegram.BotToken = token;
            await using var ctx = new BunitContext();
            AddTestServices(ctx);
            var (page, _) = RenderPage<EventList>(ctx);
            await page.WaitForElementAsync("[data-testid=event-new]");
            page.Find("[data-testid=event-new]").Click();

            var hint = page.Find(".mud-input-control:has(#event-channel)").TextContent;
            Assert.Contains("Leave empty for none.", hint);
            Assert.Equal(rehearsal, hint.Contains("Rehearsal mode: any @name will do", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ADoubleClickOnCreateMakesOneEvent()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync("[data-testid=event-new]");
        page.Find("[data-testid=event-new]").Click();
        page.Find("#event-name").Input("Code Week 2026 final");

        // The second click comes in while the first is being stored, or once it is. A click can also find the button it
        // aimed at rendered again (the first click's busy state, or the name just typed): a browser delivers no such click.
        var create = page.Find("[data-testid=event-save]");
        var clicked = await Task.WhenAll(ClickIfStillThereAsync(create), ClickIfStillThereAsync(create));
        if (!clicked.Contains(true))
            await page.Find("[data-testid=event-save]").ClickAsync(new()); // neither arrived: the one click the organizer meant

        Assert.Equal(1, await QueryAsync(db => db.Events.CountAsync()));
    }

    static async Task<bool> ClickIfStillThereAsync(AngleSharp.Dom.IElement button)
    {
        try
        {
            await button.ClickAsync(new());
            return true;
        }
        catch (Bunit.Rendering.UnknownEventHandlerIdException)
        {
            return false;
        }
    }

    [Fact]
    public async Task AnEventTheDatabaseRefusesIsReportedAndTheFormStaysAsTyped()
    {
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE INSERT ON Events BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync("[data-testid=event-new]");
        page.Find("[data-testid=event-new]").Click();
        page.Find("#event-name").Input("Code Week 2026 final");

        await page.Find("[data-testid=event-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("Not created: SQLite Error 19: 'database or disk is full'.",
            ctx.Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Last().Message));
        Assert.Equal("Code Week 2026 final", page.Find("#event-name").GetAttribute("value")); // to create once the disk has room
        Assert.False(page.Find("[data-testid=event-save]").HasAttribute("disabled"));
        Assert.Equal(0, await QueryAsync(db => db.Events.CountAsync()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // Enter in a text field does what the button does
    public async Task CreatingAnEventStoresItAndOpensItsPage(bool withEnter)
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync("[data-testid=event-new]");

        page.Find("[data-testid=event-new]").Click();
        page.Find("#event-name").Input("Code Week 2026 final");
        page.Find("#event-channel").Input("@codeweek_quiz");
        if (withEnter)
            await page.Find("#event-channel").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });
        else
            await page.Find("[data-testid=event-save]").ClickAsync(new());

        var created = await QueryAsync(db => db.Events.SingleAsync());
        Assert.Equal(("Code Week 2026 final", "@codeweek_quiz"), (created.Name, created.ChannelId));
        Assert.EndsWith($"/events/{created.Id}", ctx.Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Equal(1, Lifecycle.CatalogChanges);
    }

    [Fact]
    public async Task AWrongChannelIsRefusedWithTheMessageAtTheChannelField()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync("[data-testid=event-new]");

        page.Find("[data-testid=event-new]").Click();
        page.Find("#event-name").Input("Final");
        page.Find("#event-channel").Input("Code Week");
        await page.Find("[data-testid=event-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("The channel must be @name", page.Find("[data-testid=event-create-form]").TextContent));
        Assert.Equal(0, await QueryAsync(db => db.Events.CountAsync()));

        // Corrected: the message about the old value goes, and the name keeps its own state.
        page.Find("#event-channel").Input("@codeweek_quiz");
        Assert.DoesNotContain("The channel must be @name", page.Find("[data-testid=event-create-form]").TextContent);
        Assert.Equal("false", page.Find("#event-channel").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task TheFirstEventsFormStandsAloneWithoutAnEmptyTable()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync("[data-testid=no-events]");

        page.Find("[data-testid=event-new]").Click();

        Assert.NotNull(page.Find("[data-testid=event-create-form]"));
        Assert.Empty(page.FindAll("[data-testid=events]"));
        Assert.Empty(page.FindAll("[data-testid=no-events]"));
    }

    [Fact]
    public async Task TheListNamesEachEventsLanguageAsTheFormDoes()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-language-{quizEvent.Id}]");

        Assert.Equal("English", page.Find($"[data-testid=event-language-{quizEvent.Id}]").TextContent);
        Assert.Contains("Go live", page.Find($"[data-testid=event-{quizEvent.Id}]").TextContent);
    }

    [Fact]
    public async Task EachButtonOfAnEventIsNamedWithTheWordsItShows()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-{quizEvent.Id}]");

        // A voice-control user says what they see ("click Go live"); the name adds which event.
        var named = page.Find($"[data-testid=event-{quizEvent.Id}]").QuerySelectorAll("a[aria-label], button[aria-label]")
            .Where(e => e.TextContent.Trim().Length > 0).ToList();
        Assert.Equal(["Go live", "Edit", "Results"], named.Select(e => e.TextContent.Trim()));
        Assert.All(named, e => Assert.StartsWith(e.TextContent.Trim(), e.GetAttribute("aria-label")));
        Assert.Equal($"Go live with {quizEvent.Name}", named[0].GetAttribute("aria-label"));
    }

    [Fact]
    public async Task DeletingAnEventAsksFirstAndKeepsItWhenTheOrganizerChangesTheirMind()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-delete-{quizEvent.Id}]");

        page.Find($"[data-testid=event-delete-{quizEvent.Id}]").Click();
        await AnswerDialogAsync(providers, "Keep it");

        Assert.Equal(1, await QueryAsync(db => db.Events.CountAsync()));
        Assert.NotNull(page.Find($"[data-testid=event-{quizEvent.Id}]"));
    }

    [Fact]
    public async Task ADeleteTheDatabaseRefusesIsReportedAndTheEventStaysListed()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE DELETE ON Events BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-delete-{quizEvent.Id}]");

        page.Find($"[data-testid=event-delete-{quizEvent.Id}]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Delete");

        await page.WaitForAssertionAsync(() => Assert.Contains("Not done, nothing was deleted: SQLite Error 19: 'database or disk is full'.",
            ctx.Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Last().Message));
        Assert.NotNull(page.Find($"[data-testid=event-{quizEvent.Id}]"));
        Assert.Equal(1, await QueryAsync(db => db.Events.CountAsync()));
    }

    [Fact]
    public async Task ADeleteStoredWhoseListTheDatabaseDoesNotAnswerIsSaidDoneNotRefused()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        SilentAfterTheNextSave(ctx, "Events");
        var (page, providers) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-delete-{quizEvent.Id}]", TimeSpan.FromSeconds(15));

        page.Find($"[data-testid=event-delete-{quizEvent.Id}]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Delete");

        await NoticeAsync(ctx, "Code Week final was deleted.");
        await NoticeAsync(ctx, "The events could not be read: SQLite Error 1: 'no such table: Events'. The page keeps showing what it read before.");
        Assert.DoesNotContain(ctx.Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars, n => n.Message?.StartsWith("Not done") == true);
        Assert.NotNull(page.Find($"[data-testid=event-{quizEvent.Id}]")); // what it read before, until the next reading
        Assert.Equal(0, await QueryAsync(db => db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM EventsAway").SingleAsync()));
    }

    [Fact]
    public async Task DeletingAnEventAfterConfirmingRemovesItWithItsQuestions()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-delete-{quizEvent.Id}]");

        page.Find($"[data-testid=event-delete-{quizEvent.Id}]").Click();
        await AnswerDialogAsync(providers, "Delete");

        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll($"[data-testid=event-{quizEvent.Id}]")));
        Assert.Equal(0, await QueryAsync(db => db.Events.CountAsync()));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));
    }

    [Fact]
    public async Task EventsAnotherOrganizerCreatesRenamesAndDeletesShowWithoutAReload()
    {
        var kept = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-{kept.Id}]");
        var elsewhere = ctx.Services.GetRequiredService<QuizCatalog>(); // the same app, another organizer's tab

        var created = (await elsewhere.CreateEventAsync(new EventInput { Name = "Code Week 2026 final" })).Value!;
        await page.WaitForAssertionAsync(() => Assert.Contains("Code Week 2026 final", page.Find($"[data-testid=event-{created.Id}]").TextContent));

        await elsewhere.UpdateEventAsync(created.Id, new EventInput { Name = "Code Week 2026 grand final", Language = "it" });
        await page.WaitForAssertionAsync(() => Assert.Contains("Code Week 2026 grand final", page.Find($"[data-testid=event-{created.Id}]").TextContent));
        Assert.Equal("Italiano", page.Find($"[data-testid=event-language-{created.Id}]").TextContent);

        await elsewhere.DeleteEventAsync(kept.Id);
        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll($"[data-testid=event-{kept.Id}]")));
        Assert.NotNull(page.Find($"[data-testid=event-{created.Id}]"));
    }

    [Fact]
    public async Task AChangeElsewhereThatCannotBeReadAgainLeavesTheListAsItWasAndSaysSo()
    {
        var kept = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-{kept.Id}]");

        await using (var db = await Db.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE Events RENAME TO EventsElsewhere"); // the next reading fails
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(kept.Id, EventItself: true));

        await NoticeAsync(ctx, "could not be read again: reload the page");
        Assert.Contains("Code Week final", page.Find($"[data-testid=event-{kept.Id}]").TextContent);
    }

    [Fact]
    public async Task TheListFollowsOthersWithoutClosingTheDialogOrTheNewEventBeingTyped()
    {
        var first = await SeedEventAsync(FreeText());
        var second = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventList>(ctx);
        await page.WaitForElementAsync($"[data-testid=event-delete-{first.Id}]");
        page.Find("[data-testid=event-new]").Click();
        page.Find("#event-name").Input("Code Week 2026 semi");
        page.Find($"[data-testid=event-delete-{first.Id}]").Click();
        await providers.WaitForElementAsync(".mud-dialog");

        await ctx.Services.GetRequiredService<QuizCatalog>().UpdateEventAsync(second.Id, new EventInput { Name = "Code Week 2026 final" });

        await page.WaitForAssertionAsync(() => Assert.Contains("Code Week 2026 final", page.Find($"[data-testid=event-{second.Id}]").TextContent));
        Assert.Contains("Delete Code Week final?", providers.Find(".mud-dialog").TextContent);
        Assert.Equal("Code Week 2026 semi", page.Find("#event-name").GetAttribute("value"));
        await AnswerDialogAsync(providers, "Delete");
        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll($"[data-testid=event-{first.Id}]")));
        Assert.Equal(1, await QueryAsync(db => db.Events.CountAsync()));
    }

    [Fact]
    public async Task EachChangeIsToldOnceAndQuestionsAreToldApartFromTheEvent()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var told = new List<CatalogChanged>();
        using var subscription = ctx.Services.GetRequiredService<CatalogChanges>().Subscribe(change =>
        {
            lock (told) told.Add(change);
            return Task.CompletedTask;
        });
        var catalog = ctx.Services.GetRequiredService<QuizCatalog>();

        var quizEvent = (await catalog.CreateEventAsync(new EventInput { Name = "Code Week 2026 final" })).Value!;
        var question = (await catalog.CreateQuestionAsync(quizEvent.Id, new QuestionInput { Prompt = "2 + 2?", AcceptedAnswers = ["4"] })).Value!;
        await catalog.UpdateQuestionAsync(question.Id, new QuestionInput { Prompt = "2 + 3?", AcceptedAnswers = ["5"] });
        await catalog.UpdateEventAsync(quizEvent.Id, new EventInput { Name = "Code Week 2026 grand final" });
        await catalog.DeleteEventAsync(quizEvent.Id);
        await catalog.UpdateEventAsync(quizEvent.Id, new EventInput { Name = "Gone" }); // refused: tells nobody

        for (var waited = 0; waited < 15_000 && told.Count < 5; waited += 20)
            await Task.Delay(20);
        Assert.Equal(5, told.Count);
        Assert.All(told, c => Assert.Equal(quizEvent.Id, c.EventId));
        Assert.Equal(3, told.Count(c => c.EventItself)); // created, renamed, deleted; the question's two are not the event's
    }
}
