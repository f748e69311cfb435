using System.Net;
using System.Net.Http.Json;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Api;

public class QuestionLifecycleApiTests
{
    [Fact]
    public async Task OpenAndCloseGoThroughThePipelineAndIllegalTransitionsAreConflicts()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var ev = await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en", channelId = "@codeweek" })).ReadJsonAsync();
        var question = await (await client.PostAsJsonAsync($"/api/events/{ev.GetProperty("id").GetInt32()}/questions",
            new { prompt = "Which language has goroutines?", kind = "FreeText", acceptedAnswers = new[] { "Go" } })).ReadJsonAsync();
        var id = question.GetProperty("id").GetInt32();

        var closeDraft = await client.PostAsync($"/api/questions/{id}/close", null);
        Assert.Contains("only an open question", (await closeDraft.AssertProblemAsync(409)).GetProperty("detail").GetString());

        var opened = await client.PostAsync($"/api/questions/{id}/open", null);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var openBody = await opened.ReadJsonAsync();
        Assert.Equal("Open", openBody.GetProperty("state").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, openBody.GetProperty("openedAt").ValueKind);
        await (await client.PostAsync($"/api/questions/{id}/open", null)).AssertProblemAsync(409);
        await (await client.PutAsJsonAsync($"/api/questions/{id}", new { prompt = "Changed", kind = "FreeText", acceptedAnswers = new[] { "Go" } })).AssertProblemAsync(409);

        var closed = await client.PostAsync($"/api/questions/{id}/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("Closed", (await closed.ReadJsonAsync()).GetProperty("state").GetString());
        var results = await (await client.GetAsync($"/api/questions/{id}/results")).ReadJsonAsync();
        Assert.Equal("Closed", results.GetProperty("state").GetString());
        Assert.Equal(0, results.GetProperty("totalAnswers").GetInt32());

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var posts = await db.OutboxMessages.Where(m => m.ChatId == "@codeweek").OrderBy(m => m.Id).Select(m => m.Purpose).ToListAsync();
        Assert.Equal([OutboxPurpose.ChannelAnnouncement, OutboxPurpose.ChannelResults, OutboxPurpose.ChannelCount], posts); // the question post then says it is closed

        await (await client.PostAsync("/api/questions/999/open", null)).AssertProblemAsync(404);
        await (await client.PostAsync("/api/questions/999/close", null)).AssertProblemAsync(404);
        await (await client.PostAsync("/api/questions/999/reopen", null)).AssertProblemAsync(404);
        await (await client.PostAsync("/api/questions/999/withdraw", null)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task ReopenUndoesACloseAndIsAConflictForAQuestionThatIsNotClosed()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var (_, id) = await AnEventWithAQuestionAsync(client, "@codeweek");

        var draft = await client.PostAsync($"/api/questions/{id}/reopen", null);
        Assert.Contains("only a closed question can be reopened", (await draft.AssertProblemAsync(409)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);
        var openedAt = (await (await client.PostAsync($"/api/questions/{id}/close", null)).ReadJsonAsync()).GetProperty("openedAt").GetDateTimeOffset();

        var reopened = await client.PostAsync($"/api/questions/{id}/reopen", null);

        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        var body = await reopened.ReadJsonAsync();
        Assert.Equal("Open", body.GetProperty("state").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("closedAt").ValueKind);
        Assert.True(body.GetProperty("openedAt").GetDateTimeOffset() > openedAt); // nobody answered it: it starts afresh
        await (await client.PostAsync($"/api/questions/{id}/reopen", null)).AssertProblemAsync(409);
        var results = await (await client.GetAsync($"/api/questions/{id}/results")).ReadJsonAsync();
        Assert.Equal("Open", results.GetProperty("state").GetString());
    }

    [Fact]
    public async Task InTheChannelAReopenedQuestionsResultsSayTheyFollowAndItsNextCloseGetsANewResultsPost()
    {
        await using var factory = ApiTesting.NewFactory();
        factory.StartOnKestrel(); // where the bot's own calls reach the simulated Telegram
        var client = await factory.CreateOrganizerClientAsync();
        var simulator = factory.Services.GetRequiredService<CodeQuiz.Web.Rehearsal.TelegramSimulator>();
        const string group = "-4518810794";
        var (_, id) = await AnEventWithAQuestionAsync(client, group);
        var code = (await (await client.GetAsync($"/api/questions/{id}")).ReadJsonAsync()).GetProperty("code").GetString()!;
        IReadOnlyList<CodeQuiz.Web.Rehearsal.SimMessage> Posts() => simulator.BotMessages(group);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);
        await simulator.WaitUntilAsync(() => Posts().Count == 1, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/close", null)).StatusCode);
        await simulator.WaitUntilAsync(() => Posts().Count == 2 && Posts()[0].Text!.Contains("Closed"), TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/reopen", null)).StatusCode);

        // The results post says the results follow; the question post invites answers again, with its code.
        await simulator.WaitUntilAsync(() => Posts()[1].Text!.Contains("Question 1 is open again") && Posts()[0].Text!.Contains(code), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("Closed", Posts()[0].Text);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/close", null)).StatusCode);
        await simulator.WaitUntilAsync(() => Posts().Count == 3 && Posts()[0].Text!.Contains("Closed"), TimeSpan.FromSeconds(30));
        Assert.Contains("Question 1: results", Posts()[2].Text);
        Assert.Contains("Question 1 is open again", Posts()[1].Text);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Failed).ToListAsync());
    }

    [Fact]
    public async Task WithdrawTakesAnOpeningBackToDraftAndIsAConflictForAQuestionThatIsNotOpen()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var (_, id) = await AnEventWithAQuestionAsync(client, "@codeweek");

        var draft = await client.PostAsync($"/api/questions/{id}/withdraw", null);
        Assert.Contains("only an open question can be taken back to draft", (await draft.AssertProblemAsync(409)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);

        var withdrawn = await client.PostAsync($"/api/questions/{id}/withdraw", null);

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var body = await withdrawn.ReadJsonAsync();
        Assert.Equal("Draft", body.GetProperty("state").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("openedAt").ValueKind);
        // A draft again: it can be edited before its turn.
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/questions/{id}",
            new { prompt = "Which language has goroutines and channels?", kind = "FreeText", acceptedAnswers = new[] { "Go" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/close", null)).StatusCode);
        await (await client.PostAsync($"/api/questions/{id}/withdraw", null)).AssertProblemAsync(409);
    }

    [Fact]
    public async Task InTheChannelAQuestionTakenBackToDraftSaysItWasOpenedTooEarlyAndItsNextOpeningPostsItAnew()
    {
        await using var factory = ApiTesting.NewFactory();
        factory.StartOnKestrel(); // where the bot's own calls reach the simulated Telegram
        var client = await factory.CreateOrganizerClientAsync();
        var simulator = factory.Services.GetRequiredService<CodeQuiz.Web.Rehearsal.TelegramSimulator>();
        const string group = "-4518810795";
        var (_, id) = await AnEventWithAQuestionAsync(client, group);
        var code = (await (await client.GetAsync($"/api/questions/{id}")).ReadJsonAsync()).GetProperty("code").GetString()!;
        IReadOnlyList<CodeQuiz.Web.Rehearsal.SimMessage> Posts() => simulator.BotMessages(group);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);
        await simulator.WaitUntilAsync(() => Posts().Count == 1, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/withdraw", null)).StatusCode);

        await simulator.WaitUntilAsync(() => Posts()[0].Text!.Contains("Question 1 was opened too early"), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(code, Posts()[0].Text);
        Assert.DoesNotContain("goroutines", Posts()[0].Text);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);
        await simulator.WaitUntilAsync(() => Posts().Count == 2, TimeSpan.FromSeconds(30));
        Assert.Contains(code, Posts()[1].Text);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/close", null)).StatusCode);

        // The close edits the new post, not the one that says it was opened too early.
        await simulator.WaitUntilAsync(() => Posts().Count == 3 && Posts()[1].Text!.Contains("Closed"), TimeSpan.FromSeconds(30));
        Assert.Contains("Question 1 was opened too early", Posts()[0].Text);
        Assert.Contains("Question 1: results", Posts()[2].Text);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Failed).ToListAsync());
    }

    [Fact]
    public async Task TheResultsReachAGroupThatBecameASupergroupWhileTheQuestionWasOpen()
    {
        await using var factory = ApiTesting.NewFactory();
        factory.StartOnKestrel(); // where the bot's own calls reach the simulated Telegram
        var client = await factory.CreateOrganizerClientAsync();
        var simulator = factory.Services.GetRequiredService<CodeQuiz.Web.Rehearsal.TelegramSimulator>();
        const string group = "-4518810793";
        var (eventId, id) = await AnEventWithAQuestionAsync(client, group);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);
        await simulator.WaitUntilAsync(() => simulator.BotMessages(group).Count == 1, TimeSpan.FromSeconds(30));
        // The group passes 200 members during the question: Telegram makes it a supergroup with a new id.
        var supergroup = simulator.UpgradeToSupergroup(group);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/close", null)).StatusCode);

        await simulator.WaitUntilAsync(() => simulator.BotMessages(supergroup).Count == 1, TimeSpan.FromSeconds(30));
        Assert.Contains("Question 1: results", simulator.BotMessages(supergroup)[0].Text);
        var saved = await (await client.GetAsync($"/api/events/{eventId}")).ReadJsonAsync();
        Assert.Equal(supergroup.ToString(System.Globalization.CultureInfo.InvariantCulture), saved.GetProperty("channelId").GetString());
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Failed).ToListAsync());
    }

    [Fact]
    public async Task PostsMadeAfterTheBotFollowedAGroupToItsSupergroupNameTheSupergroup()
    {
        await using var factory = ApiTesting.NewFactory();
        // One post a minute to a chat: the results post stays in the table as the writer made it, not yet sent (the question's
        // post, refused by the group and due in the supergroup, holds the supergroup's turn).
        factory.Settings["Outbox:PerChatIntervalSeconds"] = "60";
        factory.StartOnKestrel();
        var client = await factory.CreateOrganizerClientAsync();
        var simulator = factory.Services.GetRequiredService<CodeQuiz.Web.Rehearsal.TelegramSimulator>();
        const string group = "-4518810793";
        var (eventId, id) = await AnEventWithAQuestionAsync(client, group);
        // The group became a supergroup before the show: the question's post is the first to hear it.
        simulator.RegisterChannel(group, "Code Week final");
        var supergroup = simulator.UpgradeToSupergroup(group).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var moved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var told = factory.Services.GetRequiredService<CodeQuiz.Core.Quizzes.CatalogChanges>().Subscribe(change =>
        {
            if (change is { EventItself: true } && change.EventId == eventId) moved.TrySetResult();
            return Task.CompletedTask;
        });

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);
        await moved.Task.WaitAsync(TimeSpan.FromSeconds(30)); // Telegram refused the question's post and named the supergroup
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/close", null)).StatusCode);

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var results = await db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelResults && m.QuestionId == id);
        Assert.Equal((OutboxStatus.Pending, 0), (results.Status, results.Attempts)); // as the writer made it
        Assert.Equal(supergroup, results.ChatId);
    }

    [Fact]
    public async Task AnOpenTimedQuestionIsGivenMoreTimeAndBadRequestsAreToldWhy()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var question = await TimedDraftAsync(client);
        var id = question.GetProperty("id").GetInt32();
        Assert.Equal(0, question.GetProperty("extraSeconds").GetInt32());

        var draft = await client.PostAsJsonAsync($"/api/questions/{id}/extend", new { seconds = 30 });
        Assert.Contains("only an open question", (await draft.AssertProblemAsync(409)).GetProperty("detail").GetString());
        var opened = await (await client.PostAsync($"/api/questions/{id}/open", null)).ReadJsonAsync();

        var extended = await client.PostAsJsonAsync($"/api/questions/{id}/extend", new { seconds = 30 });
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        var body = await extended.ReadJsonAsync();
        Assert.Equal(30, body.GetProperty("extraSeconds").GetInt32());
        Assert.Equal(opened.GetProperty("openedAt").GetDateTimeOffset().AddSeconds(90), body.GetProperty("deadline").GetDateTimeOffset());

        foreach (var bad in new object[] { new { seconds = 0 }, new { seconds = 3601 }, new { } })
        {
            var problem = await (await client.PostAsJsonAsync($"/api/questions/{id}/extend", bad)).AssertProblemAsync(400);
            Assert.Contains("between 1 and 3600", problem.GetProperty("errors").GetProperty("seconds")[0].GetString());
        }
        await (await client.PostAsJsonAsync($"/api/questions/{id}/extend", new { seconds = 3600 })).AssertProblemAsync(409); // past an hour in all
        await (await client.PostAsJsonAsync("/api/questions/999/extend", new { seconds = 30 })).AssertProblemAsync(404);
    }

    [Fact]
    public async Task AnExtendThatSaysWhatItSawIsRefusedWhenAnotherOrganizersCameFirst()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var question = await TimedDraftAsync(client);
        var id = question.GetProperty("id").GetInt32();
        var read = await (await client.PostAsync($"/api/questions/{id}/open", null)).ReadJsonAsync();
        var seen = read.GetProperty("extraSeconds").GetInt32();

        // Two scripts (or consoles) read the question, then both give it 30 s more.
        var first = await client.PostAsJsonAsync($"/api/questions/{id}/extend", new { seconds = 30, expectedExtraSeconds = seen });
        Assert.Equal(30, (await first.ReadJsonAsync()).GetProperty("extraSeconds").GetInt32());
        var second = await client.PostAsJsonAsync($"/api/questions/{id}/extend", new { seconds = 30, expectedExtraSeconds = seen });
        Assert.StartsWith("Question 1 was already given more time, by another organizer: 90 seconds in all now",
            (await second.AssertProblemAsync(409)).GetProperty("detail").GetString());

        foreach (var bad in new[] { -1, 3601 })
        {
            var problem = await (await client.PostAsJsonAsync($"/api/questions/{id}/extend", new { seconds = 30, expectedExtraSeconds = bad })).AssertProblemAsync(400);
            Assert.Contains($"between 0 and 3600, not {bad}", problem.GetProperty("errors").GetProperty("expectedExtraSeconds")[0].GetString());
        }
        var now = await (await client.GetAsync($"/api/questions/{id}")).ReadJsonAsync();
        Assert.Equal(30, now.GetProperty("extraSeconds").GetInt32());
        // A client that does not say what it saw adds the time, as before.
        Assert.Equal(60, (await (await client.PostAsJsonAsync($"/api/questions/{id}/extend", new { seconds = 30 })).ReadJsonAsync()).GetProperty("extraSeconds").GetInt32());
    }

    [Fact]
    public async Task AnOpenThatSawNoOtherQuestionOpenIsRefusedWhenAnotherOrganizerOpenedOne()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var ev = await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en" })).ReadJsonAsync();
        var ids = new List<int>();
        foreach (var prompt in new[] { "2+2?", "3+3?" })
            ids.Add((await (await client.PostAsJsonAsync($"/api/events/{ev.GetProperty("id").GetInt32()}/questions",
                new { prompt, kind = "Numeric", numericAnswer = 4 })).ReadJsonAsync()).GetProperty("id").GetInt32());

        // Two scripts (or consoles) each open a draft, each having seen none open.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{ids[0]}/open?onlyIfNoneOpen=true", null)).StatusCode);
        var refused = await client.PostAsync($"/api/questions/{ids[1]}/open?onlyIfNoneOpen=true", null);
        Assert.Equal("Question 1 was opened meanwhile, by another organizer; question 2 is still a draft, so that both do not take answers unasked.",
            (await refused.AssertProblemAsync(409)).GetProperty("detail").GetString());
        Assert.Equal("Draft", (await (await client.GetAsync($"/api/questions/{ids[1]}")).ReadJsonAsync()).GetProperty("state").GetString());

        var bad = await (await client.PostAsync($"/api/questions/{ids[1]}/open?onlyIfNoneOpen=yes", null)).AssertProblemAsync(400);
        Assert.Equal("'onlyIfNoneOpen' must be true or false (was 'yes').", bad.GetProperty("errors").GetProperty("onlyIfNoneOpen")[0].GetString());
        // Without it, or with false, a second question opens beside the first, as before.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{ids[1]}/open?onlyIfNoneOpen=false", null)).StatusCode);
    }

    [Fact]
    public async Task AQuestionCreatedThroughTheApiIsKnownToTheBotAtOnce()
    {
        // CatalogChanged after the insert is what lets the pipeline open a question it has never seen.
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var ev = await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "it" })).ReadJsonAsync();
        var eventId = ev.GetProperty("id").GetInt32();
        var first = await (await client.PostAsJsonAsync($"/api/events/{eventId}/questions", new { prompt = "2+2?", kind = "Numeric", numericAnswer = 4 })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{first.GetProperty("id").GetInt32()}/open", null)).StatusCode);

        var imported = await client.PostAsync($"/api/events/{eventId}/questions.csv",
            new StringContent("kind,prompt,numericAnswer\r\nNumeric,3+3?,6\r\n", System.Text.Encoding.UTF8, "text/csv"));
        var importedId = (await imported.ReadJsonAsync())[0].GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{importedId}/open", null)).StatusCode);
    }

    /// <summary>A draft question with a 60-second time limit in a new event.</summary>
    static async Task<System.Text.Json.JsonElement> TimedDraftAsync(HttpClient client)
    {
        var ev = await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en" })).ReadJsonAsync();
        return await (await client.PostAsJsonAsync($"/api/events/{ev.GetProperty("id").GetInt32()}/questions",
            new { prompt = "2+2?", kind = "Numeric", numericAnswer = 4, timeLimitSeconds = 60 })).ReadJsonAsync();
    }

    /// <summary>An event posting to <paramref name="channel"/>, with one free-text question: their ids.</summary>
    static async Task<(int EventId, int QuestionId)> AnEventWithAQuestionAsync(HttpClient client, string channel)
    {
        var ev = await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en", channelId = channel })).ReadJsonAsync();
        var eventId = ev.GetProperty("id").GetInt32();
        var question = await (await client.PostAsJsonAsync($"/api/events/{eventId}/questions",
            new { prompt = "Which language has goroutines?", kind = "FreeText", acceptedAnswers = new[] { "Go" } })).ReadJsonAsync();
        return (eventId, question.GetProperty("id").GetInt32());
    }
}
