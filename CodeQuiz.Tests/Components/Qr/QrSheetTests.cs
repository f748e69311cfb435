using Bunit;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Web.Components.Pages.Qr;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Qr;

public class QrSheetTests : ConsoleTestBase
{
    [Fact]
    public async Task TheSheetHasTheRegistrationCodeAndOneCodePerQuestionWithNumberAndCode()
    {
        BotNameFromTelegram = "CodeWeekQuizBot";
        var quizEvent = await SeedEventAsync(FreeText(), FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var (page, _) = RenderPage<QrSheet>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=qr-question-2]");
        Assert.Contains("https://t.me/CodeWeekQuizBot?start=register", page.Find("[data-testid=qr-register]").TextContent);
        foreach (var question in quizEvent.Questions)
        {
            var card = page.Find($"[data-testid=qr-question-{question.Position}]");
            Assert.Contains($"Question {question.Position}", card.TextContent);
            Assert.Contains(question.Code, card.QuerySelector(".qr-code")!.TextContent);
            Assert.Contains($"https://t.me/CodeWeekQuizBot?start={question.Code}", card.TextContent);
            Assert.NotNull(card.QuerySelector(".qr-image svg"));
            Assert.Equal($"/qr/questions/{question.Id}.png", card.QuerySelector("a[href$='.png']")!.GetAttribute("href"));
            Assert.Equal($"/qr/questions/{question.Id}.svg", card.QuerySelector("a[href$='.svg']")!.GetAttribute("href"));
        }
        Assert.Empty(page.FindAll("[data-testid=bot-username-unknown]"));
        Assert.Empty(page.FindAll("[data-testid=qr-rehearsal-bot]")); // the real bot's name, even while rehearsing
        Assert.Empty(page.FindAll(".qr-not-for-show"));
    }

    [Fact]
    public async Task QuestionsAddedMovedOrDeletedByAnotherOrganizerShowOnTheOpenSheetWithoutAReload()
    {
        var quizEvent = await SeedEventAsync(FreeText("First?"), FreeText("Second?"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<QrSheet>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=qr-question-2]");
        var elsewhere = ctx.Services.GetRequiredService<QuizCatalog>(); // the same app, another organizer's tab
        string CodeOn(int card) => page.Find($"[data-testid=qr-question-{card}] .qr-code").TextContent;

        var third = (await elsewhere.CreateQuestionAsync(quizEvent.Id, new QuestionInput { Prompt = "Third?", AcceptedAnswers = ["3"] })).Value!;
        await page.WaitForAssertionAsync(() => Assert.Equal(third.Code, CodeOn(3)));

        await elsewhere.MoveQuestionAsync(third.Id, 1);
        await page.WaitForAssertionAsync(() => Assert.Equal(third.Code, CodeOn(1)));
        Assert.Equal(quizEvent.Questions[0].Code, CodeOn(2));

        await elsewhere.DeleteQuestionAsync(quizEvent.Questions[0].Id);
        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("[data-testid=qr-question-3]")));
        Assert.Equal(quizEvent.Questions[1].Code, CodeOn(2));

        await elsewhere.UpdateEventAsync(quizEvent.Id, new EventInput { Name = "Code Week 2026 final" });
        await page.WaitForAssertionAsync(() => Assert.Equal("Code Week 2026 final", page.Find("[data-testid=qr-question-1] .qr-event").TextContent));
    }

    [Fact]
    public async Task AChangeElsewhereThatCannotBeReadAgainLeavesTheSheetAndSaysToReloadBeforePrinting()
    {
        var quizEvent = await SeedEventAsync(FreeText("First?"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<QrSheet>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=qr-question-1]");

        await using (var db = await Db.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE Questions RENAME TO QuestionsElsewhere"); // the next reading fails
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(quizEvent.Id, EventItself: false));

        await NoticeAsync(ctx, "reload the page before printing");
        Assert.Equal(quizEvent.Questions[0].Code, page.Find("[data-testid=qr-question-1] .qr-code").TextContent);
    }

    [Fact]
    public async Task AnItalianEventsCardsSpeakItalianToThePupilsWhoScanThem()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await SetLanguageAsync(quizEvent, "it");
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var (page, _) = RenderPage<QrSheet>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=qr-question-1]");
        Assert.Equal("Registra la tua squadra", page.Find("[data-testid=qr-register] .qr-title").TextContent);
        Assert.Equal("Domanda 1", page.Find("[data-testid=qr-question-1] .qr-title").TextContent);
    }

    [Fact]
    public async Task TheConfiguredBotNameIsUsedUntilGetMeAnswers()
    {
        Telegram.BotUsername = "@ConfiguredBot";
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var (page, _) = RenderPage<QrSheet>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=qr-question-1]");
        Assert.Contains("https://t.me/ConfiguredBot?start=", page.Find("[data-testid=qr-question-1]").TextContent);
    }

    [Fact]
    public async Task InRehearsalModeASheetForTheStandInBotSaysItIsNotForTheShowEvenOnPaper()
    {
        BotNameFromTelegram = CodeQuiz.Web.Rehearsal.TelegramSimulator.BotUsername;
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var (page, _) = RenderPage<QrSheet>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=qr-rehearsal-bot]");
        Assert.Contains("does not exist in", page.Find("[data-testid=qr-rehearsal-bot]").TextContent);
        Assert.DoesNotContain("no-print", page.Find("[data-testid=qr-rehearsal-bot]").ClassName);
    }

    [Fact]
    public async Task AnUnknownBotNameIsAWarningNotASilentlyWrongCodeEvenOnPaper()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var (page, _) = RenderPage<QrSheet>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=bot-username-unknown]");
        Assert.Contains("Do not use a sheet printed now", page.Find("[data-testid=bot-username-unknown]").TextContent);
        // Printed too: a sheet printed anyway must not look like a good one, on any of its cards.
        Assert.DoesNotContain("no-print", page.Find("[data-testid=bot-username-unknown]").ClassName);
        Assert.All(page.FindAll(".qr-card"), card => Assert.Contains("Bot name unknown: not for the show", card.TextContent));
    }

    [Fact]
    public async Task ThePrintButtonOpensTheBrowsersPrintDialog()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<QrSheet>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=print-sheet]");

        Assert.Equal("Print sheet", page.Find("[data-testid=print-sheet]").TextContent.Trim()); // the printer's paper, A4 or not
        await page.Find("[data-testid=print-sheet]").ClickAsync(new());

        Assert.Single(ctx.JSInterop.Invocations, i => i.Identifier == "print");
    }
}
