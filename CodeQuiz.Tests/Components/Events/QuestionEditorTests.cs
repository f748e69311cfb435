using Bunit;
using Bunit.TestDoubles;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Web.Components.Pages.Events;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Events;

public class QuestionEditorTests : ConsoleTestBase
{
    static string FieldText(IRenderedComponent<QuestionEditor> page, string inputId) =>
        page.Find($".mud-input-control:has(#{inputId})").TextContent;

    async Task<(IRenderedComponent<QuestionEditor> Page, BunitContext Ctx)> NewQuestionAsync(BunitContext ctx, int eventId)
    {
        AddTestServices(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.EventId, eventId));
        await page.WaitForElementAsync("#question-prompt");
        return (page, ctx);
    }

    [Fact]
    public async Task AnEmptyFreeTextQuestionGetsMessagesAtThePromptAndTheAcceptedAnswers()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);
        Assert.Contains("“Giò.” matches “gio”", FieldText(page, "question-accepted")); // the hint reads as text, not entities

        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("The prompt is required.", FieldText(page, "question-prompt")));
        Assert.Contains("at least one accepted answer", FieldText(page, "question-accepted"));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));

        // Each message goes once its field is changed; the other stays until that one is.
        page.Find("#question-prompt").Input("Who wrote the first program?");
        Assert.DoesNotContain("The prompt is required.", FieldText(page, "question-prompt"));
        Assert.Contains("at least one accepted answer", FieldText(page, "question-accepted"));
        page.Find("#question-accepted").Input("Ada Lovelace");
        Assert.DoesNotContain("at least one accepted answer", FieldText(page, "question-accepted"));
    }

    [Fact]
    public async Task AnOptionsMessageGoesOnceAnOptionIsChanged()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);
        page.Find("[data-testid=question-kind-MultipleChoice]").Click();
        page.Find("#question-prompt").Input("Which loop runs at least once?");
        page.Find("#question-option-0").Input("while");
        page.Find("#question-option-2").Input("do-while");
        page.Find("[data-testid=question-correct-2]").Click();

        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("Option B is empty", page.Find("[data-testid=question-options-error]").TextContent));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));

        // Filled in: the message about the empty option goes, as any field's does; Save checks again.
        page.Find("#question-option-1").Input("for");
        Assert.DoesNotContain(page.FindAll("[data-testid=question-options-error]"), e => e.TextContent.Contains("Option B is empty"));
    }

    [Fact]
    public async Task AFreeTextQuestionIsSavedWithOneAcceptedAnswerPerLine()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("#question-prompt").Input("Who wrote the first program?");
        page.Find("#question-accepted").Input("Ada Lovelace\n\n  Lovelace \n");
        page.Find("#question-time-limit").Input("45");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        var saved = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal(QuestionKind.FreeText, saved.Kind);
        Assert.Equal(["Ada Lovelace", "Lovelace"], saved.AcceptedAnswers);
        Assert.Equal(45, saved.TimeLimitSeconds);
        Assert.Equal(1, saved.Position);
        Assert.True(Tokens.IsValidQuestionCode(saved.Code));
        Assert.EndsWith($"/events/{quizEvent.Id}", ctx.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task AMultipleChoiceQuestionNeedsTheCorrectOptionMarked()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("[data-testid=question-kind-MultipleChoice]").Click();
        page.Find("#question-prompt").Input("Which is a value type?");
        page.Find("#question-option-0").Input("string");
        page.Find("#question-option-1").Input("int");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("Choose the correct option.", page.Find("[data-testid=question-correct-error]").TextContent));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));

        page.Find("[data-testid=question-correct-1]").Click();
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        var saved = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal(QuestionKind.MultipleChoice, saved.Kind);
        Assert.Equal(["string", "int"], saved.Options);
        Assert.Equal(1, saved.CorrectOption);
    }

    [Fact]
    public async Task ANumericQuestionIsSavedWithItsTolerance()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("[data-testid=question-kind-Numeric]").Click();
        page.Find("#question-prompt").Input("What is Math.PI to two decimals?");
        await page.Find("[data-testid=question-save]").ClickAsync(new());
        await page.WaitForAssertionAsync(() => Assert.Contains("needs the expected number", FieldText(page, "question-numeric-answer")));

        page.Find("#question-numeric-answer").Input("3.14");
        page.Find("#question-tolerance").Input("0.005");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        var saved = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal(3.14, saved.NumericAnswer);
        Assert.Equal(0.005, saved.Tolerance);
    }

    [Fact]
    public async Task CtrlEnterInThePromptSavesAndEnterAloneDoesNot()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);
        page.Find("#question-accepted").Input("3");

        page.Find("#question-prompt").Input("How many lines does this print?\n```\nfor (var i = 0; i < 3; i++)");
        await page.Find("#question-prompt").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));

        page.Find("#question-prompt").Input("How many lines does this print?\n```\nfor (var i = 0; i < 3; i++)\n    Console.WriteLine(i);\n```");
        await page.Find("#question-prompt").KeyDownAsync(new KeyboardEventArgs { Key = "Enter", CtrlKey = true });

        var saved = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.EndsWith("Console.WriteLine(i);\n```", saved.Prompt);
        Assert.EndsWith($"/events/{quizEvent.Id}", ctx.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task ADoubleClickOnSaveStoresOneQuestion()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);
        page.Find("#question-prompt").Input("Who wrote the first program?");
        page.Find("#question-accepted").Input("Ada Lovelace");

        var save = page.Find("[data-testid=question-save]");
        await Task.WhenAll(save.ClickAsync(new()), save.ClickAsync(new()));

        Assert.Equal(1, await QueryAsync(db => db.Questions.CountAsync()));
    }

    [Fact]
    public async Task ADoubleClickOnSaveAndAddAnotherStoresOneQuestionAndLeavesTheFreshFormCalm()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);
        page.Find("#question-prompt").Input("Who wrote the first program?");
        page.Find("#question-accepted").Input("Ada Lovelace");

        // As a browser sends a double click: the second click counts 2, and lands on the form the first one emptied.
        var another = page.Find("[data-testid=question-save-another]");
        await Task.WhenAll(another.ClickAsync(new() { Detail = 1 }), another.ClickAsync(new() { Detail = 2 }));

        Assert.Equal(["Who wrote the first program?"], await QueryAsync(db => db.Questions.Select(q => q.Prompt).ToListAsync()));
        Assert.Equal("", page.Find("#question-prompt").GetAttribute("value") ?? "");
        Assert.DoesNotContain("The prompt is required.", FieldText(page, "question-prompt"));
        Assert.DoesNotContain("at least one accepted answer", FieldText(page, "question-accepted"));

        // A click of its own on the empty form is still answered.
        await page.Find("[data-testid=question-save-another]").ClickAsync(new() { Detail = 1 });
        await page.WaitForAssertionAsync(() => Assert.Contains("The prompt is required.", FieldText(page, "question-prompt")));
        Assert.Equal(1, await QueryAsync(db => db.Questions.CountAsync()));
    }

    [Fact]
    public async Task AfterSaveAndAddAnotherThePreviewShowsTheNextQuestionsNumber()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);
        Assert.Contains("Question 1", page.Find("[data-testid=prompt-preview-chat]").TextContent);
        page.Find("#question-prompt").Input("Who wrote the first program?");
        page.Find("#question-accepted").Input("Ada Lovelace");

        await page.Find("[data-testid=question-save-another]").ClickAsync(new() { Detail = 1 });

        // The emptied form is the event's second question; the participant will read "Question 2".
        await page.WaitForAssertionAsync(() => Assert.Contains("Question 2", page.Find("[data-testid=prompt-preview-chat]").TextContent));
        Assert.DoesNotContain("Question 1", page.Find("[data-testid=prompt-preview-chat]").TextContent);
        page.Find("#question-prompt").Input("Which year?");
        page.Find("#question-accepted").Input("1843");
        await page.Find("[data-testid=question-save]").ClickAsync(new());
        Assert.Equal([1, 2], await QueryAsync(db => db.Questions.OrderBy(q => q.Position).Select(q => q.Position).ToListAsync()));
    }

    [Fact]
    public async Task AfterSaveAndAddAnotherTheFreshFormStartsAtItsTopWithThePromptFocused()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var script = DraftStorage(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("#question-prompt");

        // A save refused for mistakes still takes the keyboard to the first of them, and leaves the page where it is.
        await page.Find("[data-testid=question-save-another]").ClickAsync(new() { Detail = 1 });
        await page.WaitForAssertionAsync(() => Assert.Single(script.Invocations["focusFirstMistake"]));
        Assert.Empty(script.Invocations["focusFreshForm"]);

        page.Find("#question-prompt").Input("Who wrote the first program?");
        page.Find("#question-accepted").Input("Ada Lovelace");
        await page.Find("[data-testid=question-save-another]").ClickAsync(new() { Detail = 1 });

        // The button is at the foot of the form: the next question starts at the top, its title in view, typing in its prompt.
        await page.WaitForAssertionAsync(() => Assert.Single(script.Invocations["focusFreshForm"]));
        Assert.IsType<ElementReference>(script.Invocations["focusFreshForm"][0].Arguments[0]);
        Assert.Equal("", page.Find("#question-prompt").GetAttribute("value") ?? "");
        Assert.Single(script.Invocations["focusFirstMistake"]);
    }

    [Fact]
    public async Task ANumberWithADecimalCommaIsSavedAsTheNumberMeant()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("[data-testid=question-kind-Numeric]").Click();
        page.Find("#question-prompt").Input("What is Math.PI to two decimals?");
        page.Find("#question-numeric-answer").Input("3,14"); // as an Italian organizer writes it
        page.Find("#question-tolerance").Input("0,005");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        var saved = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal(3.14, saved.NumericAnswer);
        Assert.Equal(0.005, saved.Tolerance);
    }

    [Fact]
    public async Task ANumberWhoseCommaMayGroupThousandsIsAskedAboutNotGuessed()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("[data-testid=question-kind-Numeric]").Click();
        page.Find("#question-prompt").Input("How many lines does the kernel's scheduler have, in thousands?");
        page.Find("#question-numeric-answer").Input("1,000"); // a thousand in English, 1 with a decimal comma
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("“1,000” could be 1000 (a thousands comma) or 1.000 (a decimal comma)", FieldText(page, "question-numeric-answer")));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));

        page.Find("#question-numeric-answer").Input("1000");
        await page.Find("[data-testid=question-save]").ClickAsync(new());
        Assert.Equal(1000, (await QueryAsync(db => db.Questions.SingleAsync())).NumericAnswer);
    }

    [Fact]
    public async Task NumbersThatCannotBeReadAreNamedAtTheirFieldsAndNothingIsSaved()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("[data-testid=question-kind-Numeric]").Click();
        page.Find("#question-prompt").Input("How many bits in a byte?");
        page.Find("#question-numeric-answer").Input("eight");
        page.Find("#question-tolerance").Input("-1");
        page.Find("#question-time-limit").Input("1:30");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("“eight” is not a number", FieldText(page, "question-numeric-answer")));
        Assert.Contains("The tolerance must be zero or more.", FieldText(page, "question-tolerance"));
        Assert.Contains("“1:30” is not a number of seconds", FieldText(page, "question-time-limit"));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));

        page.Find("#question-numeric-answer").Input("8");
        page.Find("#question-tolerance").Input("");
        page.Find("#question-time-limit").Input("99999999999");
        await page.Find("[data-testid=question-save]").ClickAsync(new());
        await page.WaitForAssertionAsync(() => Assert.Contains("between 5 and 3600 seconds", FieldText(page, "question-time-limit")));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));
    }

    [Fact]
    public async Task ATimeLimitThatIsNotANumberIsNotDroppedFromAnOtherwiseGoodQuestion()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("#question-prompt").Input("Who wrote the first program?");
        page.Find("#question-accepted").Input("Ada Lovelace");
        page.Find("#question-time-limit").Input("30s");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("“30s” is not a number of seconds", FieldText(page, "question-time-limit")));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));

        page.Find("#question-time-limit").Input("30");
        await page.Find("[data-testid=question-save]").ClickAsync(new());
        Assert.Equal(30, (await QueryAsync(db => db.Questions.SingleAsync())).TimeLimitSeconds);
    }

    [Fact]
    public async Task ATimeLimitOutsideTheRulesGetsTheMessageAtItsField()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("#question-prompt").Input("Quick one");
        page.Find("#question-accepted").Input("yes");
        page.Find("#question-time-limit").Input("2");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("between 5 and 3600 seconds", FieldText(page, "question-time-limit")));
    }

    [Fact]
    public async Task ThePreviewShowsThePromptAsTheBotSendsItWithCodeAsCodeAndFollowsTheTyping()
    {
        var quizEvent = await SeedEventAsync(FreeText("First"), FreeText("Second"));
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("#question-prompt").Input("What does this print?\n```\nConsole.Write(1 < 2);\n```\nUse `true` or `false`.");
        page.Find("#question-time-limit").Input("30");

        await page.WaitForAssertionAsync(() =>
        {
            var bubble = page.Find("[data-testid=prompt-preview-chat] .tg-text");
            Assert.Contains("Question 3", bubble.TextContent); // the next position of the event
            Assert.Equal("Console.Write(1 < 2);", bubble.QuerySelector("pre")!.TextContent);
            Assert.Equal(["true", "false"], bubble.QuerySelectorAll("code").Select(c => c.TextContent));
            Assert.Contains("30 s", bubble.TextContent);
        });
        Assert.Empty(page.FindAll("[data-testid=prompt-preview-chat] .tg-button"));
        Assert.Empty(page.FindAll("[data-testid=prompt-preview-channel]")); // the event has no channel

        page.Find("#question-prompt").Input("Changed my mind");
        await page.WaitForAssertionAsync(() => Assert.Contains("Changed my mind", page.Find("[data-testid=prompt-preview-chat]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=prompt-preview-chat] pre"));
    }

    [Fact]
    public async Task ThePreviewShowsOneBlankLineAfterACodeBlockFollowedByABlankLineAsTelegramDoes()
    {
        var quizEvent = await SeedEventAsync();
        await SetChannelAsync(quizEvent, "@codeweek_quiz");
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("#question-prompt").Input("What does this print?\n```\nprint(2 * 3)\n```\n\nAnswer with the number only.");

        // The block ends its line: of the two line breaks after it, one is that end and one the blank line, in the chat
        // and in the channel's announcement alike (the browser showed two blank lines).
        foreach (var chat in new[] { "prompt-preview-chat", "prompt-preview-channel" })
            await page.WaitForAssertionAsync(() =>
            {
                var text = page.Find($"[data-testid={chat}] .tg-text").InnerHtml;
                Assert.Contains("</pre><br>Answer with the number only.", text);
                Assert.Contains("What does this print?<br><pre>", text);
            });
    }

    [Fact]
    public async Task ThePreviewOfAMultipleChoiceQuestionHasItsButtonsAndTheChannelAnnouncementInTheEventsLanguage()
    {
        var quizEvent = await SeedEventAsync();
        await SetLanguageAsync(quizEvent, "it");
        await SetChannelAsync(quizEvent, "@codeweek_quiz");
        BotNameFromTelegram = "CodeWeekQuizBot";
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);

        page.Find("[data-testid=question-kind-MultipleChoice]").Click();
        page.Find("#question-prompt").Input("Quale parola chiave dichiara una costante in C#?");
        page.Find("#question-option-0").Input("let");
        page.Find("#question-option-1").Input("const");

        await page.WaitForAssertionAsync(() => Assert.Equal(["A) let", "B) const"],
            page.FindAll("[data-testid=prompt-preview-chat] .tg-button").Select(b => b.TextContent.Trim())));
        Assert.Contains("Domanda 1", page.Find("[data-testid=prompt-preview-chat]").TextContent);
        var announcement = page.Find("[data-testid=prompt-preview-channel]").TextContent;
        Assert.Contains("Quale parola chiave dichiara una costante in C#?", announcement);
        Assert.Contains("t.me/CodeWeekQuizBot?start=newcode", announcement); // a new question gets its code when saved
        Assert.Contains("@codeweek_quiz", page.Find("[data-testid=prompt-preview]").TextContent);
    }

    [Fact]
    public async Task EditingADraftChangesItInPlace()
    {
        var quizEvent = await SeedEventAsync(FreeText("Old prompt", "old"));
        var question = quizEvent.Questions[0];
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, question.Id));
        await page.WaitForAssertionAsync(() => Assert.Equal("Old prompt", page.Find("#question-prompt").GetAttribute("value") ?? page.Find("#question-prompt").TextContent));

        page.Find("#question-prompt").Input("New prompt");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        var saved = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal("New prompt", saved.Prompt);
        Assert.Equal(question.Code, saved.Code);
    }

    [Fact]
    public async Task AQuestionParticipantsHaveSeenCannotBeEdited()
    {
        var open = FreeText("Seen already");
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, open.Id));

        await page.WaitForElementAsync("[data-testid=question-locked]");
        Assert.Contains("Duplicate it to reuse it", page.Find("[data-testid=question-locked]").TextContent);
        Assert.True(page.Find("[data-testid=question-save]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task TheEditorKeptForTheNextRouteShowsNothingOfTheQuestionBefore()
    {
        var open = FreeText("Seen already");
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, open.Id));
        await page.WaitForElementAsync("[data-testid=question-locked]");

        // The route moves on to a new question of the event: Blazor gives the same editor new parameters.
        page.Render(p => p.Add(x => x.QuestionId, null).Add(x => x.EventId, quizEvent.Id));

        await page.WaitForAssertionAsync(() => Assert.Contains("New question", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=question-locked]"));
        Assert.False(page.Find("[data-testid=question-save]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ANewQuestionAfterTheEditorShowedAnotherPreviewsNoCodeOfItsOwnYet()
    {
        var saved = FreeText("Seen already");
        var quizEvent = await SeedEventAsync(saved);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, saved.Id));
        await page.WaitForElementAsync("[data-testid=prompt-preview]");
        Assert.DoesNotContain("the code is made when the question is saved", page.Find("[data-testid=prompt-preview]").TextContent);

        // The route moves on to a new question of the event: Blazor gives the same editor new parameters.
        page.Render(p => p.Add(x => x.QuestionId, null).Add(x => x.EventId, quizEvent.Id));

        await page.WaitForAssertionAsync(() => Assert.Contains("New question", page.Markup));
        Assert.Contains("the code is made when the question is saved", page.Find("[data-testid=prompt-preview]").TextContent);
        Assert.DoesNotContain(saved.Code, page.Find("[data-testid=prompt-preview]").InnerHtml);
    }

    [Fact]
    public async Task LeavingAQuestionWithUnsavedTypingAsksFirstAndStayingKeepsWhatWasTyped()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("#question-prompt");
        var navigation = ctx.Services.GetRequiredService<BunitNavigationManager>();
        const string prompt = "What does this print?\n```\nfor (var i = 0; i < 3; i++) Console.Write(i);\n```";
        page.Find("#question-prompt").Input(prompt);

        // Back to the event, Cancel, or a link of the top bar: all of them navigate.
        await page.InvokeAsync(() => navigation.NavigateTo($"/events/{quizEvent.Id}"));
        await providers.WaitForAssertionAsync(() => Assert.Contains("Leave without saving the new question?", providers.Markup));
        await AnswerDialogAsync(providers, "Stay");

        Assert.Equal(NavigationState.Prevented, await NavigatedAsync(navigation, 1));
        Assert.Equal(prompt, page.Find("#question-prompt").GetAttribute("value"));

        await page.InvokeAsync(() => navigation.NavigateTo($"/events/{quizEvent.Id}"));
        await AnswerDialogAsync(providers, "Leave without saving");
        Assert.Equal(NavigationState.Succeeded, await NavigatedAsync(navigation, 2));
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));
    }

    [Fact]
    public async Task AQuestionOpenedAndLeftUntouchedLeavesWithoutAsking()
    {
        var quizEvent = await SeedEventAsync(FreeText("Untouched", "yes"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, quizEvent.Questions[0].Id));
        await page.WaitForAssertionAsync(() => Assert.Equal("Untouched", page.Find("#question-prompt").GetAttribute("value")));
        var navigation = ctx.Services.GetRequiredService<BunitNavigationManager>();

        await page.InvokeAsync(() => navigation.NavigateTo($"/events/{quizEvent.Id}"));

        Assert.Equal(NavigationState.Succeeded, await NavigatedAsync(navigation, 1));
        Assert.Empty(providers.FindAll(".mud-dialog"));
    }

    [Theory]
    [InlineData(QuestionKind.FreeText, "question-accepted", "4\nfour")]
    [InlineData(QuestionKind.Numeric, "question-numeric-answer", "3,14")]
    [InlineData(QuestionKind.Numeric, "question-tolerance", "0.01")]
    [InlineData(QuestionKind.FreeText, "question-time-limit", "45")]
    public async Task WhatIsTypedInAFieldNotYetLeftIsUnsavedSoClosingTheTabAsksAndTheTabKeepsIt(QuestionKind kind, string field, string typed)
    {
        var question = FreeText("How much is it?", "4");
        if (kind == QuestionKind.Numeric)
            (question.Kind, question.AcceptedAnswers, question.NumericAnswer) = (kind, [], 3);
        var quizEvent = await SeedEventAsync(question);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var storage = DraftStorage(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, quizEvent.Questions[0].Id));
        await page.WaitForElementAsync($"#{field}");

        // Typed, the caret still in the field: Ctrl+W or a reload now leaves before the field would report a change.
        page.Find($"#{field}").Input(typed);

        await page.WaitForAssertionAsync(() => Assert.True(page.FindComponent<NavigationLock>().Instance.ConfirmExternalNavigation));
        await page.WaitForAssertionAsync(() => Assert.Contains(System.Text.Json.JsonSerializer.Serialize(typed),
            (string)storage.Invocations["keepDraft"][^1].Arguments[1]!));
    }

    [Fact]
    public async Task ThePreviewFollowsATimeLimitAsItIsTyped()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);
        page.Find("#question-prompt").Input("What does `2 + 2` print?");

        page.Find("#question-time-limit").Input("45");

        await page.WaitForAssertionAsync(() => Assert.Contains("45 s", page.Find("[data-testid=prompt-preview-chat] .tg-text").TextContent));
    }

    [Fact]
    public async Task SavingAQuestionAnotherOrganizerDeletedMeanwhileSaysSoAndKeepsWhatWasTyped()
    {
        var quizEvent = await SeedEventAsync(FreeText("First?", "1"), FreeText("What does it print?", "1"));
        var question = quizEvent.Questions[1];
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, question.Id));
        await page.WaitForAssertionAsync(() => Assert.Equal("What does it print?", page.Find("#question-prompt").GetAttribute("value")));
        page.Find("#question-prompt").Input("What does this loop print?");

        Assert.True((await ctx.Services.GetRequiredService<QuizCatalog>().DeleteQuestionAsync(question.Id)).Succeeded); // the co-host's event page
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForElementAsync("[data-testid=question-locked]");
        Assert.Equal("Another organizer deleted question 2 while you were editing it, so nothing was saved. What you typed stays here to copy into a new question.",
            page.Find("[data-testid=question-locked]").TextContent);
        Assert.Equal("What does this loop print?", page.Find("#question-prompt").GetAttribute("value"));
        Assert.True(page.Find("[data-testid=question-save]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AQuestionTheDatabaseRefusesIsReportedAndWhatWasTypedStaysToSaveAgain()
    {
        var quizEvent = await SeedEventAsync();
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE INSERT ON Questions BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));
        await using var ctx = new BunitContext();
        var (page, _) = await NewQuestionAsync(ctx, quizEvent.Id);
        page.Find("#question-prompt").Input("Who wrote the first program?");
        page.Find("#question-accepted").Input("Ada Lovelace");

        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("Not saved: SQLite Error 19: 'database or disk is full'.",
            ctx.Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Last().Message));
        Assert.Equal("Who wrote the first program?", page.Find("#question-prompt").GetAttribute("value"));
        Assert.Equal("Ada Lovelace", page.Find("#question-accepted").TextContent);
        Assert.False(page.Find("[data-testid=question-save]").HasAttribute("disabled")); // to save again once the disk has room
        Assert.Empty(ctx.Services.GetRequiredService<BunitNavigationManager>().History); // the page stays
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));
    }

    /// <summary>The editor of a draft, and the same draft saved meanwhile by a second organizer in another tab.</summary>
    async Task<(IRenderedComponent<QuestionEditor> Page, Question Question)> EditWhileAnotherOrganizerSavesAsync(BunitContext ctx)
    {
        var quizEvent = await SeedEventAsync(FreeText("What does it print?", "1"));
        var question = quizEvent.Questions[0];
        AddTestServices(ctx);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, question.Id));
        await page.WaitForAssertionAsync(() => Assert.Equal("What does it print?", page.Find("#question-prompt").GetAttribute("value")));

        var catalog = ctx.Services.GetRequiredService<QuizCatalog>();
        var theirs = await catalog.GetQuestionAsync(question.Id);
        var saved = await catalog.UpdateQuestionAsync(question.Id, new QuestionInput { Prompt = "What does it print?", AcceptedAnswers = ["1", "one"] }, theirs);
        Assert.True(saved.Succeeded);
        return (page, question);
    }

    [Fact]
    public async Task ASaveOverAnotherOrganizersNewerVersionIsRefusedUntilSavedAgainKnowingIt()
    {
        await using var ctx = new BunitContext();
        var (page, _) = await EditWhileAnotherOrganizerSavesAsync(ctx);

        page.Find("#question-prompt").Input("What does this loop print?");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        await page.WaitForElementAsync("[data-testid=question-conflict]");
        Assert.Contains("Another organizer saved question 1 while you were editing it", page.Find("[data-testid=question-conflict]").TextContent);
        var stored = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal("What does it print?", stored.Prompt);
        Assert.Equal(["1", "one"], stored.AcceptedAnswers);
        Assert.Equal("What does this loop print?", page.Find("#question-prompt").GetAttribute("value")); // nothing typed is lost

        await page.Find("[data-testid=question-save]").ClickAsync(new());

        stored = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal("What does this loop print?", stored.Prompt);
        Assert.Equal(["1"], stored.AcceptedAnswers);
    }

    [Fact]
    public async Task AfterAnotherOrganizerSavedTheirVersionCanBeLoadedAndEditedFurther()
    {
        await using var ctx = new BunitContext();
        var (page, _) = await EditWhileAnotherOrganizerSavesAsync(ctx);
        page.Find("#question-prompt").Input("What does this loop print?");
        await page.Find("[data-testid=question-save]").ClickAsync(new());
        await page.WaitForElementAsync("[data-testid=question-load-theirs]");

        await page.Find("[data-testid=question-load-theirs]").ClickAsync(new());

        Assert.Empty(page.FindAll("[data-testid=question-conflict]"));
        Assert.Equal("What does it print?", page.Find("#question-prompt").GetAttribute("value"));
        page.Find("#question-prompt").Input("What does this loop print?");
        await page.Find("[data-testid=question-save]").ClickAsync(new());

        var stored = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal("What does this loop print?", stored.Prompt);
        Assert.Equal(["1", "one"], stored.AcceptedAnswers);
    }

    /// <summary>The editor's script as the tab runs it: what it keeps, and a draft kept from before a reload.</summary>
    static BunitJSModuleInterop DraftStorage(BunitContext ctx, string? kept = null)
    {
        var module = ctx.JSInterop.SetupModule(i => i.Arguments.Count > 0 && i.Arguments[0] is string path && path.EndsWith("QuestionEditor.razor.js"));
        module.Mode = JSRuntimeMode.Loose;
        module.Setup<string?>("keptDraft", _ => true).SetResult(kept);
        return module;
    }

    /// <summary>What a tab keeps of the question once its prompt, read as <paramref name="shown"/>, is changed to <paramref name="typed"/>.</summary>
    async Task<string> KeptDraftAsync(int questionId, string shown, string typed)
    {
        await using var tab = new BunitContext();
        AddTestServices(tab);
        var storage = DraftStorage(tab);
        var (page, _) = RenderPage<QuestionEditor>(tab, p => p.Add(x => x.QuestionId, questionId));
        await page.WaitForAssertionAsync(() => Assert.Equal(shown, page.Find("#question-prompt").GetAttribute("value")));
        page.Find("#question-prompt").Input(typed);
        await page.WaitForAssertionAsync(() => Assert.NotEmpty(storage.Invocations["keepDraft"]));
        return (string)storage.Invocations["keepDraft"][^1].Arguments[1]!;
    }

    /// <summary>
    /// A tab kept a draft of question 1 ("What does this loop print?"); meanwhile another organizer saved the question with a
    /// second accepted answer; then the tab reloads, loads their version and offers the draft back.
    /// </summary>
    async Task<IRenderedComponent<QuestionEditor>> ReloadedOverAColleaguesVersionAsync(BunitContext ctx)
    {
        var quizEvent = await SeedEventAsync(FreeText("What does it print?", "1"));
        var question = quizEvent.Questions[0];
        var kept = await KeptDraftAsync(question.Id, "What does it print?", "What does this loop print?");
        AddTestServices(ctx);
        var catalog = ctx.Services.GetRequiredService<QuizCatalog>();
        Assert.True((await catalog.UpdateQuestionAsync(question.Id, new QuestionInput { Prompt = "What does it print?", AcceptedAnswers = ["1", "one"] })).Succeeded);
        DraftStorage(ctx, kept);
        var (after, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, question.Id));
        await after.WaitForElementAsync("[data-testid=question-draft-restore]");
        return after;
    }

    [Fact]
    public async Task ADraftRestoredAfterAReloadSaysAtOnceThatAnotherOrganizerSavedTheQuestionSinceItWasKept()
    {
        await using var ctx = new BunitContext();
        var after = await ReloadedOverAColleaguesVersionAsync(ctx);
        Assert.Empty(after.FindAll("[data-testid=question-conflict]"));

        await after.Find("[data-testid=question-draft-restore]").ClickAsync(new());

        // Told before typing on, not after a Save that stored nothing.
        Assert.Equal("What does this loop print?", after.Find("#question-prompt").GetAttribute("value"));
        Assert.Contains("Another organizer saved question 1 after this tab kept what you typed", after.Find("[data-testid=question-conflict]").TextContent);
        var stored = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal(["1", "one"], stored.AcceptedAnswers);

        // Saving now is a choice made knowing theirs is there.
        await after.Find("[data-testid=question-save]").ClickAsync(new());

        stored = await QueryAsync(db => db.Questions.SingleAsync());
        Assert.Equal("What does this loop print?", stored.Prompt);
        Assert.Equal(["1"], stored.AcceptedAnswers);
    }

    [Fact]
    public async Task ADraftRestoredAfterAReloadCanGiveWayToTheVersionAnotherOrganizerSavedSinceItWasKept()
    {
        await using var ctx = new BunitContext();
        var after = await ReloadedOverAColleaguesVersionAsync(ctx);
        await after.Find("[data-testid=question-draft-restore]").ClickAsync(new());

        await after.Find("[data-testid=question-load-theirs]").ClickAsync(new());

        Assert.Empty(after.FindAll("[data-testid=question-conflict]"));
        Assert.Equal("What does it print?", after.Find("#question-prompt").GetAttribute("value"));
        Assert.Equal("1\none", after.Find("#question-accepted").GetAttribute("value") ?? after.Find("#question-accepted").TextContent);
    }

    [Fact]
    public async Task ADraftRestoredOverTheVersionItStartedFromSavesAtOnce()
    {
        var quizEvent = await SeedEventAsync(FreeText("What does it print?", "1"));
        var question = quizEvent.Questions[0];
        var kept = await KeptDraftAsync(question.Id, "What does it print?", "What does this loop print?");

        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        DraftStorage(ctx, kept);
        var navigation = ctx.Services.GetRequiredService<BunitNavigationManager>();
        var (after, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, question.Id));
        await after.WaitForElementAsync("[data-testid=question-draft-restore]");
        await after.Find("[data-testid=question-draft-restore]").ClickAsync(new());
        await after.Find("[data-testid=question-save]").ClickAsync(new());

        Assert.Equal(NavigationState.Succeeded, await NavigatedAsync(navigation, 1));
        Assert.Equal("What does this loop print?", (await QueryAsync(db => db.Questions.SingleAsync())).Prompt);
    }

    [Fact]
    public async Task ADraftKeptByAnEarlierCodeQuizWithoutItsVersionIsRestoredWithAWarningBeforeAnythingIsReplaced()
    {
        var quizEvent = await SeedEventAsync(FreeText("What does it print?", "1", "one"));
        var question = quizEvent.Questions[0];
        // As the editor kept drafts before it noted the version they started from.
        const string keptByEarlierBuild = """
            {"Prompt":"What does this loop print?","Kind":0,"AcceptedAnswers":"1","Options":["","",""],"CorrectOption":null,"NumericAnswer":"","Tolerance":"","TimeLimit":"","ShowPromptOnPresenter":false}
            """;
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        DraftStorage(ctx, keptByEarlierBuild);
        var (page, _) = RenderPage<QuestionEditor>(ctx, p => p.Add(x => x.QuestionId, question.Id));
        await page.WaitForElementAsync("[data-testid=question-draft-restore]");

        await page.Find("[data-testid=question-draft-restore]").ClickAsync(new());

        Assert.Equal("What does this loop print?", page.Find("#question-prompt").GetAttribute("value"));
        Assert.Contains("another organizer may have saved it since", page.Find("[data-testid=question-conflict]").TextContent);
        await page.Find("[data-testid=question-load-theirs]").ClickAsync(new());
        Assert.Empty(page.FindAll("[data-testid=question-conflict]"));
        Assert.Equal("What does it print?", page.Find("#question-prompt").GetAttribute("value"));
        Assert.Equal("1\none", page.Find("#question-accepted").GetAttribute("value") ?? page.Find("#question-accepted").TextContent);
    }
}
