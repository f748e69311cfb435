using System.Text;
using Bunit;
using Bunit.TestDoubles;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Components.Pages.Events;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;

namespace CodeQuiz.Tests.Components.Events;

public class EventPageTests : ConsoleTestBase
{
    async Task<List<string>> PromptsInOrderAsync(int eventId) =>
        await QueryAsync(db => db.Questions.Where(q => q.EventId == eventId).OrderBy(q => q.Position).Select(q => q.Prompt).ToListAsync());

    [Fact]
    public async Task AnotherOrganizersChangesShowWithoutAReloadAndSettingsBeingTypedStay()
    {
        var quizEvent = await SeedEventAsync(FreeText("First?"), FreeText("Second?"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-2]");
        var elsewhere = ctx.Services.GetRequiredService<QuizCatalog>(); // the same app, another organizer's tab

        var third = (await elsewhere.CreateQuestionAsync(quizEvent.Id, new QuestionInput { Prompt = "Third?", AcceptedAnswers = ["3"] })).Value!;
        await page.WaitForAssertionAsync(() => Assert.Contains("Third?", page.Find("[data-testid=question-3]").TextContent));

        await elsewhere.MoveQuestionAsync(third.Id, 1);
        await page.WaitForAssertionAsync(() => Assert.Contains("Third?", page.Find("[data-testid=question-1]").TextContent));
        Assert.Contains("First?", page.Find("[data-testid=question-2]").TextContent);

        await elsewhere.DeleteQuestionAsync(quizEvent.Questions[1].Id); // "Second?"
        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("[data-testid=question-3]")));

        // A setting typed here and not saved stays as typed; those left untouched show the other organizer's.
        page.Find("#event-channel").Input("@codeweek");
        await elsewhere.UpdateEventAsync(quizEvent.Id, new EventInput { Name = "Code Week 2026 final", ChannelId = "@cw2026" });
        await page.WaitForAssertionAsync(() => Assert.Equal("Code Week 2026 final", page.Find("[data-testid=event-title]").TextContent));
        Assert.Equal("Code Week 2026 final", page.Find("#event-name").GetAttribute("value"));
        Assert.Equal("@codeweek", page.Find("#event-channel").GetAttribute("value"));

        await elsewhere.DeleteEventAsync(quizEvent.Id);
        await page.WaitForAssertionAsync(() => Assert.Contains("There is no such event.", page.Markup));
    }

    [Fact]
    public async Task AChangeElsewhereThatCannotBeReadAgainLeavesThePageAsItWasAndSaysSo()
    {
        var quizEvent = await SeedEventAsync(FreeText("First?"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-1]");

        await using (var db = await Db.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE Events RENAME TO EventsElsewhere"); // the next reading fails
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(quizEvent.Id, EventItself: true));

        await NoticeAsync(ctx, "could not be read again: reload the page");
        Assert.Contains("First?", page.Find("[data-testid=question-1]").TextContent);
        Assert.Equal("Code Week final", page.Find("[data-testid=event-title]").TextContent);
    }

    [Fact]
    public async Task TheSavedChannelCanBeCheckedBeforeTheShow()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await SetChannelAsync(quizEvent, "@codeweek");
        BotApi.Answer("getChat", """{"id":-1001234567890,"type":"channel","title":"Code Week","accent_color_id":0,"max_reaction_count":11}""")
            .Answer("getMe", """{"id":777,"is_bot":true,"first_name":"CodeQuiz","username":"codequiz_bot"}""")
            .Answer("getChatMember", """{"status":"member","user":{"id":777,"is_bot":true,"first_name":"CodeQuiz"}}""");
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=channel-check-button]");
        Assert.Contains("@codeweek", page.Find("[data-testid=channel-check-button]").TextContent);

        await page.Find("[data-testid=channel-check-button]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("The bot is not an administrator of “Code Week”", page.Find("[data-testid=channel-check]").TextContent));
        Assert.Contains("mud-alert-text-error", page.Find("[data-testid=channel-check]").ClassName);

        // Made an administrator that may post, the organizer checks again.
        BotApi.Answer("getChatMember", """{"status":"administrator","user":{"id":777,"is_bot":true,"first_name":"CodeQuiz"},"can_be_edited":false,"can_post_messages":true}""");
        await page.Find("[data-testid=channel-check-button]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Equal("The bot can post to “Code Week”.", page.Find("[data-testid=channel-check]").TextContent.Trim()));
        Assert.Contains("mud-alert-text-success", page.Find("[data-testid=channel-check]").ClassName);
    }

    [Fact]
    public async Task AnotherEventInTheSameTabShowsItsOwnQuestionsAndSettingsAndNothingOfTheLastOne()
    {
        var first = await SeedEventAsync(FreeText("Which keyword declares a constant?", "const"));
        await SetChannelAsync(first, "@codeweek");
        var second = await SeedEventAsync(FreeText("Which method ends a `Task` after a delay?", "Delay"), FreeText());
        await SetChannelAsync(second, "@springquiz");
        await QueryAsync(db => db.Events.Where(e => e.Id == second.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.Name, "Spring rehearsal")));
        BotApi.Answer("getChat", """{"id":-1001234567890,"type":"channel","title":"Code Week","accent_color_id":0,"max_reaction_count":11}""")
            .Answer("getMe", """{"id":777,"is_bot":true,"first_name":"CodeQuiz","username":"codequiz_bot"}""")
            .Answer("getChatMember", """{"status":"member","user":{"id":777,"is_bot":true,"first_name":"CodeQuiz"}}""");
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, first.Id));
        await page.WaitForElementAsync("[data-testid=channel-check-button]");
        await page.Find("[data-testid=channel-check-button]").ClickAsync(new());
        await page.WaitForElementAsync("[data-testid=channel-check]");

        // The number in the address edited, or Back to the other event: Blazor keeps the page, with new parameters.
        page.Render(p => p.Add(x => x.EventId, second.Id));

        await page.WaitForAssertionAsync(() => Assert.Equal("Spring rehearsal", page.Find("[data-testid=event-title]").TextContent), TimeSpan.FromSeconds(15));
        Assert.Contains("Which method ends", page.Find("[data-testid=question-1]").TextContent);
        Assert.Equal(2, page.FindAll("[data-testid^=question-]").Count(q => q.GetAttribute("data-testid") is "question-1" or "question-2"));
        Assert.Contains("@springquiz", page.Find("[data-testid=channel-check-button]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=channel-check]")); // it was about @codeweek
        Assert.DoesNotContain("Which keyword declares a constant?", page.Markup);
        Assert.DoesNotContain("Code Week final", page.Markup);
        Assert.DoesNotContain("“Code Week”", page.Markup);
    }

    [Fact]
    public async Task AChannelCheckDoesNotStayAfterAnotherOrganizerChangesTheChannel()
    {
        // A green "the bot can post" about the old channel, under a button naming the new one, reads as the new one checked.
        var quizEvent = await SeedEventAsync(FreeText());
        await SetChannelAsync(quizEvent, "@codeweek");
        BotApi.Answer("getChat", """{"id":-1001234567890,"type":"channel","title":"Code Week","accent_color_id":0,"max_reaction_count":11}""")
            .Answer("getMe", """{"id":777,"is_bot":true,"first_name":"CodeQuiz","username":"codequiz_bot"}""")
            .Answer("getChatMember", """{"status":"administrator","user":{"id":777,"is_bot":true,"first_name":"CodeQuiz"},"can_be_edited":false,"can_post_messages":true}""");
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=channel-check-button]");
        await page.Find("[data-testid=channel-check-button]").ClickAsync(new());
        await page.WaitForAssertionAsync(() => Assert.Contains("mud-alert-text-success", page.Find("[data-testid=channel-check]").ClassName));

        await ctx.Services.GetRequiredService<QuizCatalog>().UpdateEventAsync(quizEvent.Id, new EventInput { Name = quizEvent.Name, ChannelId = "@cw2026" });

        await page.WaitForAssertionAsync(() => Assert.Contains("@cw2026", page.Find("[data-testid=channel-check-button]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=channel-check]"));
    }

    /// <summary>Telegram, answering getChatMember only once the test lets it: a check still under way.</summary>
    sealed class SlowChannelApi : HttpMessageHandler
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var result = request.RequestUri!.Segments[^1] switch
            {
                "getChat" => """{"id":-1001234567890,"type":"channel","title":"Code Week","accent_color_id":0,"max_reaction_count":11}""",
                "getMe" => """{"id":777,"is_bot":true,"first_name":"CodeQuiz","username":"codequiz_bot"}""",
                _ => """{"status":"administrator","user":{"id":777,"is_bot":true,"first_name":"CodeQuiz"},"can_be_edited":false,"can_post_messages":true}""",
            };
            if (request.RequestUri!.Segments[^1] == "getChatMember")
            {
                Asked.TrySetResult();
                await Answer.Task.WaitAsync(cancellationToken);
            }
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent($$"""{"ok":true,"result":{{result}}}""", Encoding.UTF8, "application/json") };
        }
    }

    [Fact]
    public async Task AChannelCheckUnderWayWhenAnotherOrganizerChangesTheChannelIsNotShownAsTheNewOnes()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await SetChannelAsync(quizEvent, "@codeweek");
        var telegram = new SlowChannelApi();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddSingleton(new CodeQuiz.Core.Telegram.ChannelCheck(
            new global::Telegram.Bot.TelegramBotClient(new global::Telegram.Bot.TelegramBotClientOptions("123456:stub-token") { RetryThreshold = 0 }, new HttpClient(telegram)),
            Microsoft.Extensions.Options.Options.Create(new CodeQuiz.Core.Outbox.OutboxOptions())));
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=channel-check-button]");
        var checking = page.Find("[data-testid=channel-check-button]").ClickAsync(new());
        await telegram.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await ctx.Services.GetRequiredService<QuizCatalog>().UpdateEventAsync(quizEvent.Id, new EventInput { Name = quizEvent.Name, ChannelId = "@cw2026" });
        await page.WaitForAssertionAsync(() => Assert.Contains("@cw2026", page.Find("[data-testid=channel-check-button]").TextContent));
        telegram.Answer.SetResult(); // the check of @codeweek ends: the bot can post there
        await checking;

        page.Render();
        Assert.Empty(page.FindAll("[data-testid=channel-check]"));
    }

    [Fact]
    public async Task WithoutAChannelThereIsNothingToCheck()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=event-channel]");

        Assert.Empty(page.FindAll("[data-testid=channel-check-button]"));
    }

    [Fact]
    public async Task AQuestionRowShowsTheStartOfALongPromptWithAnEllipsis()
    {
        var listing = string.Join("\n", Enumerable.Range(1, 40).Select(i => $"line {i}: print({i})"));
        var longLine = "Which of these " + new string('x', 3000);
        var quizEvent = await SeedEventAsync(FreeText("What does `2 + 2` print?"), FreeText(listing), FreeText(longLine), FreeText("short\nprompt\n\n"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-4]");
        string Shown(int position) => page.Find($"[data-testid=question-{position}] .question-prompt").TextContent;

        Assert.Equal("What does 2 + 2 print?", Shown(1)); // its code set apart, as in Telegram, not between backticks
        Assert.Equal("2 + 2", page.Find("[data-testid=question-1] .question-prompt code").TextContent);
        Assert.Equal(string.Join("\n", Enumerable.Range(1, 6).Select(i => $"line {i}: print({i})")) + "…", Shown(2));
        Assert.Equal(600, Shown(3).Length);
        Assert.StartsWith("Which of these xxx", Shown(3));
        Assert.EndsWith("x…", Shown(3));
        Assert.Equal("short\nprompt\n\n", Shown(4)); // nothing after the lines it has: nothing to cut
    }

    [Fact]
    public async Task AQuestionRowShowsACodeBlockCutOffAsCodeWithoutItsFence()
    {
        var listing = "What does this print?\n```python\n" + string.Join("\n", Enumerable.Range(1, 20).Select(i => $"print({i})")) + "\n```";
        var quizEvent = await SeedEventAsync(FreeText(listing), FreeText("Paris?", "Paris", "paris city", "Lutetia"), FreeText("Done?\n```\nx", "yes"),
            FreeText("One\nTwo\nThree\nFour\nFive\n```python\nprint(1)\n```", "1"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-4]");

        var row = page.Find("[data-testid=question-1] .question-prompt");
        Assert.DoesNotContain("```", row.TextContent);
        Assert.Equal("print(1)\nprint(2)\nprint(3)\nprint(4)…", row.QuerySelector("pre")!.TextContent);
        // Every spelling that counts, so that an organizer can check the list before the show.
        Assert.Equal("Paris", page.Find("[data-testid=question-2] .question-meta strong").TextContent);
        Assert.Equal(" (also paris city · Lutetia)", page.Find("[data-testid=question-2] [data-testid=also-accepted]").TextContent);
        Assert.Equal("yes", page.Find("[data-testid=question-3] .question-meta strong").TextContent);
        Assert.Equal("Done?\n```\nx", page.Find("[data-testid=question-3] .question-prompt").TextContent); // left open, shown as typed
        Assert.Empty(page.FindAll("[data-testid=question-3] [data-testid=also-accepted]"));
        // Cut on the fence's own line: the row ends before the block, not with an empty one.
        Assert.Equal("One\nTwo\nThree\nFour\nFive…", page.Find("[data-testid=question-4] .question-prompt").InnerHtml);
    }

    [Fact]
    public async Task ANumberQuestionShowsItsToleranceBesideTheRightAnswer()
    {
        // 15,2 counted right for "15" is explained on the page: the tolerance, as the editor took it.
        var quizEvent = await SeedEventAsync(Seed.Numeric(Tokens.NewQuestionCode(), 15, 0.5), Seed.Numeric(Tokens.NewQuestionCode(), 8192, 0));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-2]");

        Assert.Equal("15", page.Find("[data-testid=question-1] .question-meta strong").TextContent);
        Assert.Equal(" (± 0.5)", page.Find("[data-testid=question-1] [data-testid=tolerance]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=question-2] [data-testid=tolerance]")); // exact: nothing to add
    }

    [Fact]
    public async Task AMultipleChoiceRightAnswerHasTheLetterTheBotListsItBy()
    {
        // The chat lists "A) Java", "B) Python": the organizer reading the answer out says "B", as the participants saw it.
        var quizEvent = await SeedEventAsync(Seed.Choice(Tokens.NewQuestionCode(), 1, "Java", "Python", "Go"), FreeText("Capital of France?", "Paris"),
            Seed.Numeric(Tokens.NewQuestionCode(), 15, 0));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-3]");

        Assert.Equal("B) Python", page.Find("[data-testid=question-1] .question-meta strong").TextContent);
        Assert.Equal("Paris", page.Find("[data-testid=question-2] .question-meta strong").TextContent); // typed answers have no letter
        Assert.Equal("15", page.Find("[data-testid=question-3] .question-meta strong").TextContent);
    }

    [Fact]
    public async Task MovingAQuestionUpSwapsItWithThePreviousOne()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"), FreeText("second"), FreeText("third"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-up-3]");

        await page.Find("[data-testid=question-up-3]").ClickAsync(new());

        Assert.Equal(["first", "third", "second"], await PromptsInOrderAsync(quizEvent.Id));
        await page.WaitForAssertionAsync(() => Assert.Contains("third", page.Find("[data-testid=question-2] .question-prompt").TextContent));
        // The moved question flashes where it went; the one now under the pointer does not.
        Assert.Equal(["question-2"], page.FindAll(".moved").Select(row => row.GetAttribute("data-testid")));
        Assert.True(page.Find("[data-testid=question-up-1]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=question-down-3]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task MovingAQuestionDownSwapsItWithTheNextOne()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"), FreeText("second"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-down-1]");

        await page.Find("[data-testid=question-down-1]").ClickAsync(new());

        Assert.Equal(["second", "first"], await PromptsInOrderAsync(quizEvent.Id));
    }

    [Fact]
    public async Task TheSecondClickOfADoubleClickOnAnArrowMovesNothingMore()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"), FreeText("second"), FreeText("third"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-down-1]");

        // The first click moves "first" down; "second" now sits under the pointer, and the double click's second click
        // lands on its arrow.
        await page.Find("[data-testid=question-down-1]").ClickAsync(new() { Detail = 1 });
        await page.WaitForAssertionAsync(() => Assert.Contains("second", page.Find("[data-testid=question-1] .question-prompt").TextContent));
        await page.Find("[data-testid=question-down-1]").ClickAsync(new() { Detail = 2 });

        Assert.Equal(["second", "first", "third"], await PromptsInOrderAsync(quizEvent.Id));
        await page.Find("[data-testid=question-down-2]").ClickAsync(new() { Detail = 1 });
        Assert.Equal(["second", "third", "first"], await PromptsInOrderAsync(quizEvent.Id));
    }

    [Fact]
    public async Task AQuestionDraggedByItsHandleTakesThePlaceOfTheRowItIsDroppedOnSeveralPlacesAtOnce()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"), FreeText("second"), FreeText("third"), FreeText("fourth"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-drag-1]");

        // Down: over the third row, a line below it says where it goes; dropped, it comes after it.
        await page.Find("[data-testid=question-drag-1]").DragStartAsync(new());
        await page.Find("[data-testid=question-3]").DragEnterAsync(new());
        Assert.Contains("drop-below", page.Find("[data-testid=question-3]").ClassName);
        Assert.DoesNotContain("drop-", page.Find("[data-testid=question-2]").ClassName);
        Assert.Contains("dragging", page.Find("[data-testid=question-1]").ClassName); // faded while it is dragged
        await page.Find("[data-testid=question-3]").DropAsync(new());
        Assert.Equal(["second", "third", "first", "fourth"], await PromptsInOrderAsync(quizEvent.Id));
        await page.WaitForAssertionAsync(() => Assert.Contains("first", page.Find("[data-testid=question-3] .question-prompt").TextContent));
        Assert.Contains("moved", page.Find("[data-testid=question-3]").ClassName);
        Assert.Empty(page.FindAll(".drop-below, .drop-above, .dragging"));

        // Up: a line above the row, and it comes before it.
        await page.Find("[data-testid=question-drag-4]").DragStartAsync(new());
        await page.Find("[data-testid=question-1]").DragEnterAsync(new());
        Assert.Contains("drop-above", page.Find("[data-testid=question-1]").ClassName);
        await page.Find("[data-testid=question-1]").DropAsync(new());
        Assert.Equal(["fourth", "second", "third", "first"], await PromptsInOrderAsync(quizEvent.Id));
        // The question moved last flashes, and only that one.
        await page.WaitForAssertionAsync(() => Assert.Equal(["question-1"], page.FindAll(".moved").Select(row => row.GetAttribute("data-testid"))));

        // Dropped on its own row, or let go elsewhere: nothing moves, and no line is left behind.
        await page.WaitForAssertionAsync(() => Assert.Contains("fourth", page.Find("[data-testid=question-1] .question-prompt").TextContent));
        await page.Find("[data-testid=question-drag-2]").DragStartAsync(new());
        await page.Find("[data-testid=question-2]").DragEnterAsync(new());
        await page.Find("[data-testid=question-2]").DropAsync(new());
        await page.Find("[data-testid=question-4]").DragEnterAsync(new());
        await page.Find("[data-testid=question-drag-2]").DragEndAsync(new());
        Assert.Empty(page.FindAll(".drop-below, .drop-above, .dragging"));
        await page.Find("[data-testid=question-4]").DropAsync(new()); // a drop after the drag ended: no drag, no move
        Assert.Equal(["fourth", "second", "third", "first"], await PromptsInOrderAsync(quizEvent.Id));
        Assert.Empty(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars); // the list shows a move; those are no mistakes to explain
    }

    [Fact]
    public async Task AQuestionThatHasBeenOpenedHasNoHandleAndNoDraftIsDraggedAcrossIt()
    {
        var announced = FreeText("announced as question 2");
        announced.Open(Time.GetUtcNow());
        announced.Close(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(FreeText("first"), announced, FreeText("third"), FreeText("fourth"), FreeText("fifth"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-drag-5]");

        // The opened question keeps its number, and the draft before it has nowhere to go.
        Assert.Empty(page.FindAll("[data-testid=question-drag-1], [data-testid=question-drag-2]"));

        await page.Find("[data-testid=question-drag-5]").DragStartAsync(new());
        await page.Find("[data-testid=question-2]").DragEnterAsync(new());
        Assert.DoesNotContain("drop-", page.Find("[data-testid=question-2]").ClassName); // no line where it cannot go
        await page.Find("[data-testid=question-2]").DropAsync(new());
        await page.Find("[data-testid=question-1]").DropAsync(new());
        Assert.Equal(["first", "announced as question 2", "third", "fourth", "fifth"], await PromptsInOrderAsync(quizEvent.Id));
        // A drop that moves nothing says why (the second notice took the first one's place).
        Assert.Equal(["Question 2 has been opened and keeps its number: no question moves past it until the event is started over."],
            ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(n => n.Message));

        await page.Find("[data-testid=question-3]").DragEnterAsync(new());
        Assert.Contains("drop-above", page.Find("[data-testid=question-3]").ClassName);
        await page.Find("[data-testid=question-3]").DropAsync(new());
        Assert.Equal(["first", "announced as question 2", "fifth", "third", "fourth"], await PromptsInOrderAsync(quizEvent.Id));
    }

    [Fact]
    public async Task AQuestionThatHasBeenOpenedKeepsItsNumberWhileTheDraftsAfterItMoveFreely()
    {
        var announced = FreeText("announced as question 2");
        announced.Open(Time.GetUtcNow());
        announced.Close(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(FreeText("first"), announced, FreeText("third"), FreeText("fourth"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-up-4]");

        // Neither the closed question nor a draft next to it can take the other's place.
        foreach (var arrow in new[] { "down-1", "up-2", "down-2", "up-3" })
            Assert.True(page.Find($"[data-testid=question-{arrow}]").HasAttribute("disabled"), arrow);
        Assert.False(page.Find("[data-testid=question-down-3]").HasAttribute("disabled"));

        await page.Find("[data-testid=question-up-4]").ClickAsync(new());

        Assert.Equal(["first", "announced as question 2", "fourth", "third"], await PromptsInOrderAsync(quizEvent.Id));
    }

    [Fact]
    public async Task DuplicatingAQuestionAddsADraftCopyWithANewCodeAtTheEnd()
    {
        var original = FreeText("What does `1 << 3` give?", "8");
        original.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(original, FreeText("second"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-duplicate-1]");

        await page.Find("[data-testid=question-duplicate-1]").ClickAsync(new());

        await page.WaitForElementAsync("[data-testid=question-3]");
        var copy = await QueryAsync(db => db.Questions.SingleAsync(q => q.Position == 3));
        Assert.Equal(original.Prompt, copy.Prompt);
        Assert.Equal(["8"], copy.AcceptedAnswers);
        Assert.Equal(QuestionState.Draft, copy.State);
        Assert.NotEqual(original.Code, copy.Code);
    }

    [Fact]
    public async Task ADoubleClickOnDuplicateMakesOneCopy()
    {
        var quizEvent = await SeedEventAsync(FreeText("What does `1 << 3` give?", "8"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-duplicate-1]");

        // As a browser sends a double click: the second click counts 2, and comes in once the first copy is stored. (Sent
        // one after the other: the first click's render gives the button a new handler, which a click in flight misses.)
        await page.Find("[data-testid=question-duplicate-1]").ClickAsync(new() { Detail = 1 });
        await page.WaitForElementAsync("[data-testid=question-2]");
        await page.Find("[data-testid=question-duplicate-1]").ClickAsync(new() { Detail = 2 });

        Assert.Equal(2, await QueryAsync(db => db.Questions.CountAsync()));

        // A click of its own later makes another copy: the button was not left stuck.
        await page.Find("[data-testid=question-duplicate-1]").ClickAsync(new() { Detail = 1 });
        await page.WaitForElementAsync("[data-testid=question-3]");
        Assert.Equal(3, await QueryAsync(db => db.Questions.CountAsync()));
        // What the last click did replaces the notice still showing, rather than piling up below it.
        Assert.Equal(["Question 1 was copied as question 3."], ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(n => n.Message));
    }

    [Fact]
    public async Task ThePresenterLinkReadsAndCopiesAsOnTheLivePageOverlayLinkIncluded()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=presenter-link-card]");

        var card = page.Find("[data-testid=presenter-link-card]");
        Assert.Contains("Presenter screen", card.TextContent);
        Assert.EndsWith($"/present/{quizEvent.PresenterToken}", card.QuerySelector("input")!.GetAttribute("value"));
        Assert.Equal(["Copy link", "Copy overlay link", "Open in new tab", "New link…"],
            card.QuerySelectorAll("button, a").Select(b => b.TextContent.Trim()));
    }

    [Fact]
    public async Task ANewPresenterLinkTheDatabaseRefusesIsReportedAndTheOldLinkStays()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"));
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE UPDATE OF PresenterToken ON Events BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=regenerate-presenter-link]");

        page.Find("[data-testid=regenerate-presenter-link]").Click(); // the handler waits for the dialog
        await AnswerDialogAsync(providers, "Make a new link");

        await page.WaitForAssertionAsync(() => Assert.Contains("Not done, the old link still works",
            ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message));
        Assert.Contains(quizEvent.PresenterToken, page.Markup);
        Assert.Equal(quizEvent.PresenterToken, await QueryAsync(db => db.Events.Select(e => e.PresenterToken).SingleAsync()));
    }

    [Fact]
    public async Task DeletingAQuestionAsksFirstThenRenumbersTheRest()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"), FreeText("second"), FreeText("third"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-delete-1]");

        var codes = await QueryAsync(db => db.Questions.Where(q => q.Prompt != "first").OrderBy(q => q.Position).Select(q => q.Code).ToListAsync());

        page.Find("[data-testid=question-delete-1]").Click();
        // The sheet may be printed already: its QR codes go on working, under numbers one too high.
        await providers.WaitForAssertionAsync(() => Assert.Contains("their codes stay, so printed QR codes still work", providers.Markup));
        Assert.Contains("This cannot be undone.", providers.Markup);
        // The button that cannot be undone is red, "Keep it" plain.
        Assert.Contains("mud-button-filled-error", providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Delete").ClassName);
        Assert.DoesNotContain("error", providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Keep it").ClassName);
        await AnswerDialogAsync(providers, "Delete");

        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("[data-testid=question-3]")));
        Assert.Equal(["second", "third"], await PromptsInOrderAsync(quizEvent.Id));
        Assert.Equal(codes, await QueryAsync(db => db.Questions.OrderBy(q => q.Position).Select(q => q.Code).ToListAsync()));
    }

    [Fact]
    public async Task DeletingAQuestionAnotherOrganizerJustDeletedSaysSoWithoutAnError()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"), FreeText("second"), FreeText("third"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-delete-2]");

        page.Find("[data-testid=question-delete-2]").Click(); // the handler waits for the dialog
        await providers.WaitForAssertionAsync(() => Assert.Contains("Delete question 2?", providers.Markup));
        Assert.True((await ctx.Services.GetRequiredService<QuizCatalog>().DeleteQuestionAsync(quizEvent.Questions[1].Id)).Succeeded); // the co-host was quicker
        await AnswerDialogAsync(providers, "Delete");

        var notice = await NoticeAsync(ctx, "Question 2 was already deleted, by another organizer.");
        Assert.Equal(Severity.Info, notice.Severity);
        Assert.Equal(["first", "third"], await PromptsInOrderAsync(quizEvent.Id));
    }

    [Fact]
    public async Task AnOpenQuestionCannotBeDeletedOrEdited()
    {
        var open = FreeText();
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-delete-1]");

        Assert.True(page.Find("[data-testid=question-delete-1]").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=question-edit-1]"));
    }

    [Fact]
    public async Task OnlyDraftsThatRenumberNoOpenedQuestionCanBeDeleted()
    {
        var closed = FreeText("rehearsed");
        closed.Open(Time.GetUtcNow());
        closed.Close(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(FreeText("before"), closed, FreeText("after"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-delete-3]");

        // The channel announced question 2 by its number: neither it nor a draft before it can go until the event starts over.
        Assert.True(page.Find("[data-testid=question-delete-1]").HasAttribute("disabled"));
        Assert.Contains("start the event over first", page.Find("[data-testid=question-delete-hint-1]").GetAttribute("title"));
        Assert.True(page.Find("[data-testid=question-delete-2]").HasAttribute("disabled"));
        Assert.Contains("stays until the event is started over", page.Find("[data-testid=question-delete-hint-2]").GetAttribute("title"));
        Assert.False(page.Find("[data-testid=question-delete-3]").HasAttribute("disabled"));
    }

    /// <summary>An event page after a rehearsal: question 1 opened, closed and answered twice (or once), question 2 never opened.</summary>
    async Task<(QuizEvent Event, IRenderedComponent<EventPage> Page, IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Providers)> RehearsedEventAsync(BunitContext ctx, int answers = 2)
    {
        var rehearsed = FreeText("rehearsed");
        rehearsed.Open(Time.GetUtcNow());
        rehearsed.Close(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(rehearsed, FreeText("never opened"));
        await SeedAnswersAsync(rehearsed, [.. new[] { ("Ada", (string?)null, (int?)null, "go", true, 2.0), ("Bruno", null, null, "rust", false, 3.0) }.Take(answers)]);
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=event-start-over]");
        return (quizEvent, page, providers);
    }

    [Theory]
    [InlineData(2, "2 answers deleted")]
    [InlineData(1, "1 answer deleted")]
    public async Task AfterARehearsalTheEventStartsOverOnceTheOrganizerConfirms(int answers, string said)
    {
        await using var ctx = new BunitContext();
        var (quizEvent, page, providers) = await RehearsedEventAsync(ctx, answers);

        page.Find("[data-testid=event-start-over]").Click();
        // The dialog comes once the answers are counted, a database read away.
        await providers.WaitForAssertionAsync(() => Assert.Contains("printed QR codes keep working", providers.Markup));
        await AnswerDialogAsync(providers, "Start over");

        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("[data-testid=event-start-over]")));
        Assert.Equal([quizEvent.Id], Lifecycle.StartedOver);
        Assert.Contains($"starts over: {said},", Assert.Single(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars).Message);
        await using var db = await Db.CreateDbContextAsync();
        Assert.All(await db.Questions.Where(q => q.EventId == quizEvent.Id).ToListAsync(), q => Assert.Equal(QuestionState.Draft, q.State));
    }

    [Fact]
    public async Task TheStartOverConfirmationSaysHowManyAnswersItDeletes()
    {
        await using var ctx = new BunitContext();
        var (quizEvent, page, providers) = await RehearsedEventAsync(ctx);

        // After the show rather than the rehearsal, "2" would read "7000": the count is what stops a slip.
        page.Find("[data-testid=event-start-over]").Click();
        await providers.WaitForAssertionAsync(() => Assert.Contains(
            "Its 2 answers are deleted and the question that was opened becomes a draft again, as after a rehearsal.", providers.Find(".mud-dialog").TextContent));
        await AnswerDialogAsync(providers, "Keep the answers");
        Assert.Empty(Lifecycle.StartedOver);
    }

    [Fact]
    public async Task AStartOverWhoseAnswersCannotBeCountedSaysSoAndLeavesThePageUsable()
    {
        await using var ctx = new BunitContext();
        var (_, page, providers) = await RehearsedEventAsync(ctx);
        await using (var db = await Db.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("DROP TABLE Answers"); // a database that refuses the count

        await page.Find("[data-testid=event-start-over]").ClickAsync(new());

        Assert.Contains("could not be counted, so nothing was started over", (await NoticeAsync(ctx, "could not be counted")).Message);
        Assert.Empty(providers.FindAll(".mud-dialog"));
        Assert.Empty(Lifecycle.StartedOver);
        Assert.False(page.Find("[data-testid=event-start-over]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AStartOverTheDatabaseStopsAnsweringDuringItsConfirmationIsReportedAndThePageStays()
    {
        await using var ctx = new BunitContext();
        var (_, page, providers) = await RehearsedEventAsync(ctx);
        page.Find("[data-testid=event-start-over]").Click();
        await providers.WaitForAssertionAsync(() => Assert.Contains("Its 2 answers are deleted", providers.Find(".mud-dialog").TextContent), TimeSpan.FromSeconds(15));
        // As with a database server restarting while the organizer reads the confirmation.
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Questions RENAME TO QuestionsAway"));

        await AnswerDialogAsync(providers, "Start over");

        await NoticeAsync(ctx, "Not done, nothing was deleted: SQLite Error 1: 'no such table: Questions'.");
        await NoticeAsync(ctx, "The questions could not be read: SQLite Error 1: 'no such table: Questions'. The page keeps showing what it read before.");
        Assert.False(page.Find("[data-testid=event-start-over]").HasAttribute("disabled")); // to try again
        Assert.Equal(2, page.FindAll("[data-testid^=question-duplicate-]").Count);
    }

    [Fact]
    public async Task StartingOverWaitsForTheOpenQuestionToClose()
    {
        var open = FreeText();
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(open);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=event-start-over]");

        var button = page.Find("[data-testid=event-start-over]");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Equal("Close question 1 first", page.Find("[data-testid=event-start-over-hint]").GetAttribute("title"));
    }

    [Fact]
    public async Task AnEventNeverPlayedHasNothingToStartOver()
    {
        var quizEvent = await SeedEventAsync(FreeText("draft"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-1]");

        Assert.Empty(page.FindAll("[data-testid=event-start-over]"));
    }

    [Fact]
    public async Task AChannelLinkPastedFromTelegramIsSavedAndShownAsTheChannelItNames()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("#event-channel");

        page.Find("#event-channel").Input("https://t.me/codeweek/12");
        await page.Find("[data-testid=event-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Equal("@codeweek", page.Find("#event-channel").GetAttribute("value")));
        Assert.Contains("@codeweek", page.Find("[data-testid=channel-check-button]").TextContent);
        Assert.Equal("@codeweek", await QueryAsync(db => db.Events.Select(e => e.ChannelId).SingleAsync()));
    }

    const string Group = "-4518810793", Supergroup = "-1001557912345";

    [Fact]
    public async Task AGroupTheBotFollowedToItsSupergroupShowsAsTheEventsChannelWithoutAReload()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await SetChannelAsync(quizEvent, Group);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=channel-check-button]", TimeSpan.FromSeconds(10));
        Assert.Equal(Group, page.Find("#event-channel").GetAttribute("value"));

        // The question's post: Telegram refuses the group's id, naming the supergroup the group became, and the bot follows it.
        await QueryAsync(db =>
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.ChannelAnnouncement, Priority = OutboxMessage.UrgentPriority,
                ChatId = Group, Text = "Question 1", QuestionId = quizEvent.Questions[0].Id, CreatedAt = Time.GetUtcNow(), NotBefore = Time.GetUtcNow(),
            });
            return db.SaveChangesAsync();
        });
        BotApi.RefuseWith("sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat", $$"""{"migrate_to_chat_id":{{Supergroup}}}""");
        await Sender(ctx).RunRoundAsync(CancellationToken.None);
        Assert.Equal(Supergroup, await QueryAsync(db => db.Events.Select(e => e.ChannelId).SingleAsync()));

        await page.WaitForAssertionAsync(() => Assert.Equal(Supergroup, page.Find("#event-channel").GetAttribute("value")), TimeSpan.FromSeconds(10));
        Assert.Contains(Supergroup, page.Find("[data-testid=channel-check-button]").TextContent);
    }

    [Fact]
    public async Task SavingSettingsReadBeforeTheGroupBecameASupergroupKeepsTheSupergroupUnlessTheChannelWasRetyped()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await SetChannelAsync(quizEvent, Group);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("#event-channel", TimeSpan.FromSeconds(10));
        Assert.Equal(Group, page.Find("#event-channel").GetAttribute("value"));

        // The bot records the move while the organizer renames the event; the page has not heard of it yet.
        await SetChannelAsync(quizEvent, Supergroup);
        page.Find("#event-name").Input("Code Week 2026 final");
        await page.Find("[data-testid=event-save]").ClickAsync(new());

        await NoticeAsync(ctx, "Event saved.");
        Assert.Equal(("Code Week 2026 final", Supergroup), await QueryAsync(db => db.Events.Select(e => new ValueTuple<string, string?>(e.Name, e.ChannelId)).SingleAsync()));
        await page.WaitForAssertionAsync(() => Assert.Equal(Supergroup, page.Find("#event-channel").GetAttribute("value")), TimeSpan.FromSeconds(10));

        // A channel the organizer types is saved as typed, whatever the database held.
        await SetChannelAsync(quizEvent, "@cw2026");
        page.Find("#event-channel").Input("@codeweek");
        await page.Find("[data-testid=event-save]").ClickAsync(new());
        await page.WaitForAssertionAsync(async () => Assert.Equal("@codeweek", await QueryAsync(db => db.Events.Select(e => e.ChannelId).SingleAsync())),
            TimeSpan.FromSeconds(10));
    }

    /// <summary>The outbox sender, sending through <see cref="ConsoleTestBase.BotApi"/> and telling this app's pages what it changed.</summary>
    OutboxSender Sender(BunitContext ctx) => new(Db, BotApi.Client(), ctx.Services.GetRequiredService<OutboxCounters>(), CodeQuiz.Core.Ingest.BotAdoption.Done(),
        new CodeQuiz.Core.Ingest.DurableLog(), Lifecycle,
        ctx.Services.GetRequiredService<CatalogChanges>(), Time, Microsoft.Extensions.Options.Options.Create(new OutboxOptions()),
        new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance),
        NullLogger<OutboxSender>.Instance);

    [Fact]
    public async Task LeavingWithEventSettingsNotSavedAsksFirstAndAfterSaveLeavesAtOnce()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, providers) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("#event-channel");
        var navigation = ctx.Services.GetRequiredService<BunitNavigationManager>();

        page.Find("#event-channel").Input("https://t.me/codeweek");
        await page.InvokeAsync(() => navigation.NavigateTo($"/events/{quizEvent.Id}/live")); // Go live, before Save
        await AnswerDialogAsync(providers, "Stay");
        Assert.Equal(NavigationState.Prevented, await NavigatedAsync(navigation, 1));
        Assert.Equal("https://t.me/codeweek", page.Find("#event-channel").GetAttribute("value"));

        await page.Find("[data-testid=event-save]").ClickAsync(new());
        await page.WaitForAssertionAsync(() => Assert.Equal("@codeweek", page.Find("#event-channel").GetAttribute("value")));
        await page.InvokeAsync(() => navigation.NavigateTo($"/events/{quizEvent.Id}/live"));
        Assert.Equal(NavigationState.Succeeded, await NavigatedAsync(navigation, 2));
        Assert.Empty(providers.FindAll(".mud-dialog"));
    }

    [Fact]
    public async Task SettingsTheDatabaseRefusesAreReportedAndStayAsTypedToSaveAgain()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE UPDATE ON Events BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("#event-channel");

        page.Find("#event-channel").Input("@codeweek");
        await page.Find("[data-testid=event-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("Not saved: SQLite Error 19: 'database or disk is full'.",
            ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message));
        Assert.Equal("@codeweek", page.Find("#event-channel").GetAttribute("value")); // to save again once the disk has room
        Assert.False(page.Find("[data-testid=event-save]").HasAttribute("disabled"));
        Assert.Null(await QueryAsync(db => db.Events.Select(e => e.ChannelId).SingleAsync()));
    }

    [Fact]
    public async Task ACopyTheDatabaseRefusesIsReportedAndThePageCarriesOn()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"));
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE INSERT ON Questions BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-duplicate-1]");

        await page.Find("[data-testid=question-duplicate-1]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("Not done, nothing was changed: SQLite Error 19: 'database or disk is full'.",
            ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message));
        Assert.False(page.Find("[data-testid=question-duplicate-1]").HasAttribute("disabled"));
        Assert.Equal(["first"], await PromptsInOrderAsync(quizEvent.Id));
    }

    [Fact]
    public async Task ACopyStoredWhoseQuestionsTheDatabaseDoesNotAnswerIsSaidDoneAndThePageStays()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        SilentAfterTheNextSave(ctx, "Questions");
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-duplicate-1]", TimeSpan.FromSeconds(15));

        await page.Find("[data-testid=question-duplicate-1]").ClickAsync(new());

        // Stored: an organizer told "not done" would copy it again, and the show would have the question twice.
        await NoticeAsync(ctx, "Question 1 was copied as question 2.");
        await NoticeAsync(ctx, "The questions could not be read: SQLite Error 1: 'no such table: Questions'. The page keeps showing what it read before.");
        Assert.DoesNotContain(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars, n => n.Message?.StartsWith("Not done") == true);
        await page.WaitForAssertionAsync(() => Assert.False(page.Find("[data-testid=question-duplicate-1]").HasAttribute("disabled")), TimeSpan.FromSeconds(15));
        Assert.Single(page.FindAll("[data-testid^=question-duplicate-]")); // what it read before
        Assert.Equal(2, await QueryAsync(db => db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM QuestionsAway").SingleAsync()));
    }

    [Fact]
    public async Task AMoveStoredWhoseQuestionsTheDatabaseDoesNotAnswerIsNotSaidRefused()
    {
        var quizEvent = await SeedEventAsync(FreeText("first"), FreeText("second"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        SilentAfterTheNextSave(ctx, "Questions");
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-down-1]", TimeSpan.FromSeconds(15));

        await page.Find("[data-testid=question-down-1]").ClickAsync(new());

        await NoticeAsync(ctx, "The questions could not be read: SQLite Error 1: 'no such table: Questions'.");
        Assert.DoesNotContain(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars, n => n.Message?.StartsWith("Not done") == true);
        await page.WaitForAssertionAsync(() => Assert.False(page.Find("[data-testid=question-down-1]").HasAttribute("disabled")), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task SavingSettingsWithAnUnknownChannelShowsTheMessageAtTheChannelField()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("#event-channel");

        page.Find("#event-channel").Input("not a channel");
        await page.Find("[data-testid=event-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("The channel must be @name", page.Find(".mud-input-control:has(#event-channel)").TextContent));
        Assert.Null(await QueryAsync(db => db.Events.Select(e => e.ChannelId).SingleAsync()));
    }

    [Fact]
    public async Task AGoodCsvQuestionBankIsImportedAfterTheExistingQuestions()
    {
        var quizEvent = await SeedEventAsync(FreeText("already there"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=questions]");

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            """
            kind,prompt,acceptedAnswers,options,correctOption,numericAnswer,tolerance,timeLimitSeconds,showPromptOnPresenter
            FreeText,Which keyword declares a constant?,const,,,,,30,false
            MultipleChoice,Which is a value type?,,string|int|object,2,,,,true
            Numeric,How many bits in a byte?,,,,8,0,,false
            """, "bank.csv"));

        await page.WaitForElementAsync("[data-testid=question-4]");
        Assert.Equal(["already there", "Which keyword declares a constant?", "Which is a value type?", "How many bits in a byte?"], await PromptsInOrderAsync(quizEvent.Id));
        Assert.Empty(page.FindAll("[data-testid=csv-errors]"));
    }

    [Fact]
    public async Task ExcelsUnicodeTextIsOfferedByTheFilePickerAndImported()
    {
        var quizEvent = await SeedEventAsync(FreeText("already there"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=questions]");
        // Excel names the file .txt: a picker that offered .csv alone would hide it.
        Assert.Contains(".txt", page.Find("[data-testid=csv-import]").GetAttribute("accept")!.Split(','));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(OfficeFiles.UnicodeText(), "questions.txt", contentType: "text/plain"));

        await page.WaitForElementAsync("[data-testid=question-5]");
        Assert.Equal(["already there", .. OfficeFiles.UnicodeTextQuestions.Select(q => q.Prompt)], await PromptsInOrderAsync(quizEvent.Id));
        Assert.Empty(page.FindAll("[data-testid=csv-errors]"));
    }

    [Fact]
    public async Task UnicodeTextIsLimitedByItsCharactersAsTheApiIsNotByItsTwiceAsManyBytes()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=no-questions]");
        static byte[] UnicodeText(string text) => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];

        // One character over 1,000,000: refused, saying the limit. (Tried first: bUnit re-renders a page of 400 questions
        // slowly enough to make a second upload on it take minutes.)
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(
            UnicodeText(OfficeFiles.QuestionBankOfLength(Csv.ImportMaxChars + 1)), "questions.txt", contentType: "text/plain"));
        await page.WaitForElementAsync("[data-testid=csv-errors]");
        Assert.Contains("questions.txt: The file has more than 1,000,000 characters", page.Find("[data-testid=csv-errors]").TextContent);
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));

        // 1,000,000 characters are 2,000,002 bytes as Unicode Text: imported whole.
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(
            UnicodeText(OfficeFiles.QuestionBankOfLength(Csv.ImportMaxChars)), "questions.txt", contentType: "text/plain"));
        await page.WaitForElementAsync("[data-testid=question-400]", TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=csv-errors]"));
        Assert.Equal(400, await QueryAsync(db => db.Questions.CountAsync()));
    }

    [Fact]
    public async Task ACsvImportStoredWhoseQuestionsTheDatabaseDoesNotAnswerIsSaidImportedNotRefused()
    {
        var quizEvent = await SeedEventAsync(FreeText("already there"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        SilentAfterTheNextSave(ctx, "Questions");
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=question-1]", TimeSpan.FromSeconds(15));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "kind,prompt,acceptedAnswers\nFreeText,Which keyword declares a constant?,const\n", "bank.csv"));

        // Stored: an organizer told "nothing was imported" would import the bank again.
        await NoticeAsync(ctx, "1 questions imported from bank.csv.");
        await NoticeAsync(ctx, "The questions could not be read: SQLite Error 1: 'no such table: Questions'. The page keeps showing what it read before.");
        Assert.Empty(page.FindAll("[data-testid=csv-errors]"));
        Assert.Single(page.FindAll("[data-testid^=question-duplicate-]"));
        Assert.Equal(2, await QueryAsync(db => db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM QuestionsAway").SingleAsync()));
    }

    [Fact]
    public async Task ACsvImportTheDatabaseRefusesSaysNothingWasImportedAndThePageCarriesOn()
    {
        var quizEvent = await SeedEventAsync(FreeText("already there"));
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE INSERT ON Questions BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=questions]");

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "kind,prompt,acceptedAnswers\nFreeText,Which keyword declares a constant?,const\n", "bank.csv"));

        await page.WaitForAssertionAsync(() => Assert.Contains("Nothing was imported: SQLite Error 19: 'database or disk is full'.",
            page.Find("[data-testid=csv-errors]").TextContent));
        Assert.Equal(["already there"], await PromptsInOrderAsync(quizEvent.Id));
        Assert.NotNull(page.Find("[data-testid=question-1]")); // the page itself carries on
    }

    [Fact]
    public async Task ACsvWithBadLinesImportsNothingAndNamesTheLines()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=no-questions]");

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            """
            kind,prompt,acceptedAnswers,options,correctOption,numericAnswer,tolerance,timeLimitSeconds,showPromptOnPresenter
            FreeText,Fine question,yes,,,,,,false
            FreeText,No accepted answer,,,,,,,false
            Numeric,Not a number,,,,eight,,,false
            """, "bank.csv"));

        await page.WaitForElementAsync("[data-testid=csv-errors]");
        var errors = page.Find("[data-testid=csv-errors]").TextContent;
        Assert.Contains("Line 3:", errors);
        Assert.Contains("Line 4:", errors);
        Assert.DoesNotContain("Line 2:", errors);
        Assert.Equal(0, await QueryAsync(db => db.Questions.CountAsync()));
    }

    [Fact]
    public async Task ExcelsTabDelimitedTextInWindowsCodePageIsRefusedSuggestingCsvUtf8OrUnicodeText()
    {
        var quizEvent = await SeedEventAsync(FreeText("already there"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=questions]");
        // Excel's "Text (Tab delimited)" on a Western European Windows: Windows-1252, one byte per é, 0x92 for ’.
        var file = Encoding.Latin1.GetBytes("kind\tprompt\tacceptedAnswers\r\nFreeText\tCapital of Italy?\tRome\r\nFreeText\tPerché l\u0092arancia?\tGiò\r\n");

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(file, "questions.txt", contentType: "text/plain"));

        await page.WaitForElementAsync("[data-testid=csv-errors]");
        var errors = page.Find("[data-testid=csv-errors]").TextContent;
        Assert.Contains("Line 3: The line is not UTF-8 text", errors);
        Assert.Contains("\"CSV UTF-8\" or as Excel's \"Unicode Text\"", errors);
        Assert.DoesNotContain("Line 2:", errors);
        Assert.Equal(["already there"], await PromptsInOrderAsync(quizEvent.Id));
    }

    [Fact]
    public async Task AnExcelWorkbookPickedInsteadOfTheCsvIsRefusedSayingWhatToSaveItAs()
    {
        var quizEvent = await SeedEventAsync(FreeText("already there"));
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=questions]");

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(OfficeFiles.Xlsx(), "questions.xlsx",
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

        await page.WaitForElementAsync("[data-testid=csv-errors]");
        var errors = page.Find("[data-testid=csv-errors]").TextContent;
        Assert.Contains("questions.xlsx: This looks like an Excel workbook", errors);
        Assert.Contains("CSV UTF-8", errors);
        // Nothing of the file's bytes is shown back: no column "PK…", no control characters, no replacement marks.
        Assert.DoesNotContain("Unknown column", errors);
        Assert.DoesNotContain("PK", errors);
        Assert.DoesNotContain(errors, c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t' || c == '\uFFFD');
        Assert.Equal(["already there"], await PromptsInOrderAsync(quizEvent.Id));
    }

    [Fact]
    public async Task TheQuestionBankCardSaysWhatGoesInEveryColumnTheImportReads()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        var format = await page.WaitForElementAsync("[data-testid=csv-format]");

        // Folded away until asked for, so the card reads in a line or two.
        Assert.Equal("DETAILS", format.TagName);
        Assert.False(format.HasAttribute("open"));
        var rows = format.QuerySelectorAll("tr").Select(r => (r.QuerySelector("th")!.TextContent, r.QuerySelector("td")!.TextContent)).ToList();
        Assert.Equal(QuizCatalog.CsvColumns, rows.Select(r => r.Item1));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Item2)));
        Assert.Contains("FreeText, MultipleChoice or Numeric", rows[0].Item2);
        Assert.Contains("counting from 1", rows.Single(r => r.Item1 == "correctOption").Item2);
    }

    [Fact]
    public async Task TheExportLinkDownloadsTheQuestionBankFromTheApi()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<EventPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=csv-export]");
        Assert.Equal($"/api/events/{quizEvent.Id}/questions.csv", page.Find("[data-testid=csv-export]").GetAttribute("href"));
    }
}
