using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Api;

public class QuestionApiTests
{
    static async Task<int> CreateEventAsync(HttpClient client) =>
        (await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();

    static async Task<JsonElement> CreateQuestionAsync(HttpClient client, int eventId, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/events/{eventId}/questions", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task EachKindOfQuestionIsCreatedWithAnIdAndADeepLinkCode()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        var free = await CreateQuestionAsync(client, eventId, new { prompt = "Which language has goroutines?", kind = "FreeText", acceptedAnswers = new[] { "Go", " golang " }, timeLimitSeconds = 60 });
        var choice = await CreateQuestionAsync(client, eventId, new { prompt = "for i in range(3): print(i)\n# prints?", kind = "MultipleChoice", options = new[] { "0 1 2", "1 2 3" }, correctOption = 1 });
        var numeric = await CreateQuestionAsync(client, eventId, new { prompt = "pi to two decimals?", kind = "Numeric", numericAnswer = 3.14, tolerance = 0.005 });

        var codes = new[] { free, choice, numeric }.Select(q => q.GetProperty("code").GetString()!).ToList();
        Assert.All(codes, code => Assert.True(Tokens.IsValidQuestionCode(code), code));
        Assert.Equal(3, codes.Distinct().Count());
        Assert.Equal(["Go", "golang"], free.GetProperty("acceptedAnswers").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Draft", choice.GetProperty("state").GetString());
        // correctOption counts from 0: the response says in words which option that is.
        Assert.Equal((1, "1 2 3"), (choice.GetProperty("correctOption").GetInt32(), choice.GetProperty("correctAnswerText").GetString()));
        Assert.Equal(3.14, numeric.GetProperty("numericAnswer").GetDouble());

        var list = await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync();
        Assert.Equal([1, 2, 3], list.EnumerateArray().Select(q => q.GetProperty("position").GetInt32()));
        Assert.Equal("MultipleChoice", list[1].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task AnInvalidQuestionIsRefusedWithTheFieldsToFix()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        var choice = await client.PostAsJsonAsync($"/api/events/{eventId}/questions", new { prompt = "", kind = "MultipleChoice", options = new[] { "only one" }, correctOption = 3, timeLimitSeconds = 1 });
        var errors = (await choice.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["correctOption", "options", "prompt", "timeLimitSeconds"], errors.EnumerateObject().Select(p => p.Name).Order());

        var numeric = await client.PostAsJsonAsync($"/api/events/{eventId}/questions", new { prompt = "How many?", kind = "Numeric" });
        Assert.True((await numeric.AssertProblemAsync(400)).GetProperty("errors").TryGetProperty("numericAnswer", out _));

        var free = await client.PostAsJsonAsync($"/api/events/{eventId}/questions", new { prompt = "Name it", kind = "FreeText", acceptedAnswers = new[] { " " } });
        Assert.True((await free.AssertProblemAsync(400)).GetProperty("errors").TryGetProperty("acceptedAnswers", out _));

        await (await client.PostAsJsonAsync("/api/events/999/questions", new { prompt = "Name it", kind = "FreeText", acceptedAnswers = new[] { "x" } })).AssertProblemAsync(404);
        Assert.Empty((await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task AQuestionForAnEventThatDoesNotExistIsA404EvenWithFieldsToFix()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        // Fixing the fields would only lead to the 404: the event id is what is wrong, as an edit or an import says first.
        var response = await client.PostAsJsonAsync("/api/events/999/questions", new { prompt = "", kind = "MultipleChoice", options = new[] { "only one" } });

        Assert.Equal("There is no event 999.", (await response.AssertProblemAsync(404)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyThatCannotBeReadIsRefusedNamingTheFieldOrThePlace()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        async Task<JsonElement> PostAsync(string path, string json) =>
            await (await client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"))).AssertProblemAsync(400);

        foreach (var (json, field) in new[]
                 {
                     ("""{"prompt":"Name it","kind":"Bogus","acceptedAnswers":["x"]}""", "kind"),
                     ("""{"prompt":123,"kind":"FreeText","acceptedAnswers":["x"]}""", "prompt"),
                     ("""{"prompt":"Pick","kind":"MultipleChoice","options":["a","b"],"correctOption":99999999999}""", "correctOption"),
                     ("""{"prompt":"Name it","kind":"FreeText","acceptedAnswers":["x",7]}""", "acceptedAnswers"),
                 })
        {
            var problem = await PostAsync($"/api/events/{eventId}/questions", json);
            Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
            Assert.Contains($"'{field}'", problem.GetProperty("detail").GetString());
        }

        var broken = await PostAsync($"/api/events/{eventId}/questions", """{"prompt": "Name it",""");
        Assert.Contains("not valid JSON (line 1", broken.GetProperty("detail").GetString());
        // Cut off after a field's name: the body is broken, not the field's value.
        var cut = await PostAsync($"/api/events/{eventId}/questions", """{"prompt":""");
        Assert.Contains("not valid JSON (line 1", cut.GetProperty("detail").GetString());
        Assert.False(cut.TryGetProperty("errors", out _));
        // Valid JSON, but not an object: a list of questions is not how they are created.
        var list = await PostAsync($"/api/events/{eventId}/questions", """[{"prompt":"Name it","kind":"FreeText","acceptedAnswers":["x"]}]""");
        Assert.StartsWith("The body must be a JSON object", list.GetProperty("detail").GetString());
        // No body, or a body of null: said in the API's words, not the framework's ("Did you mean to use a Service instead?").
        foreach (var nothing in new[] { "", "null" })
            Assert.StartsWith("The request has no body", (await PostAsync($"/api/events/{eventId}/questions", nothing)).GetProperty("detail").GetString());
        var top = await (await client.GetAsync($"/api/events/{eventId}/leaderboard?top=99999999999")).AssertProblemAsync(400);
        Assert.Contains("top", top.GetProperty("detail").GetString());
        Assert.Empty((await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync()).EnumerateArray());
    }

    [Theory]
    [InlineData("leaderboard?top=abc", "'top' must be a whole number (was 'abc').")]
    [InlineData("leaderboard?top=1.5", "'top' must be a whole number (was '1.5').")]
    [InlineData("leaderboard?top=", "'top' must be a whole number (was '').")]
    [InlineData("leaderboard?top=99999999999", "'top' is too large a number (was '99999999999').")]
    [InlineData("leaderboard?top=-99999999999", "'top' is too small a number (was '-99999999999').")]
    public async Task AQueryValueThatIsNoWholeNumberIsRefusedNamingItNotAskingForJson(string query, string reason)
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        var problem = await (await client.GetAsync($"/api/events/{eventId}/{query}")).AssertProblemAsync(400);

        Assert.Equal([reason], problem.GetProperty("errors").GetProperty("top").EnumerateArray().Select(e => e.GetString()));
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains(reason, detail);
        Assert.DoesNotContain("JSON", detail); // a GET has no body to fix
        Assert.DoesNotContain("Failed to bind", detail);
    }

    [Theory]
    [InlineData("\"0\"")]
    [InlineData("\"2\"")]
    [InlineData("1")]
    [InlineData("\"FreeText, Numeric\"")]
    [InlineData("null")]
    public async Task AKindGivenOtherwiseThanByItsNameIsRefusedListingTheNames(string kind)
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        var response = await client.PostAsync($"/api/events/{eventId}/questions", new StringContent(
            $$"""{"prompt":"How many?","kind":{{kind}},"numericAnswer":4,"acceptedAnswers":["x"],"options":["a","b"],"correctOption":0}""",
            System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["'kind' must be one of FreeText, MultipleChoice, Numeric."],
            problem.GetProperty("errors").GetProperty("kind").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("'kind' must be one of FreeText, MultipleChoice, Numeric", problem.GetProperty("detail").GetString());
        Assert.Empty((await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task AKindByItsNameIsTakenInAnyCase()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        var response = await client.PostAsync($"/api/events/{eventId}/questions", new StringContent(
            """{"prompt":"How many?","kind":"numeric","numericAnswer":4}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Numeric", (await response.ReadJsonAsync()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task AScriptDownloadsTheQrCodesOfTheQuestionsItMadeWithItsToken()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var id = (await CreateQuestionAsync(client, eventId, new { prompt = "Name it", kind = "FreeText", acceptedAnswers = new[] { "x" } })).GetProperty("id").GetInt32();

        var png = await client.GetAsync($"/qr/questions/{id}.png");
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/qr/events/{eventId}/register.svg")).StatusCode);
    }

    [Fact]
    public async Task AQrDownloadWithAWrongTokenGetsA401ProblemNotTheLoginPage()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var id = (await CreateQuestionAsync(client, eventId, new { prompt = "Name it", kind = "FreeText", acceptedAnswers = new[] { "x" } })).GetProperty("id").GetInt32();
        var script = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "expired-or-mistyped");

        foreach (var path in new[] { $"/qr/questions/{id}.png", $"/qr/events/{eventId}/register.svg" })
        {
            var problem = await (await script.GetAsync(path)).AssertProblemAsync(401);
            Assert.Contains("POST /api/auth/login", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task OnlyADraftQuestionCanBeEditedAndAnOpenOneCannotBeDeleted()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var draft = await CreateQuestionAsync(client, eventId, new { prompt = "Old prompt", kind = "FreeText", acceptedAnswers = new[] { "a" } });
        var id = draft.GetProperty("id").GetInt32();

        var edited = await client.PutAsJsonAsync($"/api/questions/{id}", new { prompt = "New prompt", kind = "Numeric", numericAnswer = 42 });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var after = await (await client.GetAsync($"/api/questions/{id}")).ReadJsonAsync();
        Assert.Equal("New prompt", after.GetProperty("prompt").GetString());
        Assert.Empty(after.GetProperty("acceptedAnswers").EnumerateArray());
        Assert.Equal(draft.GetProperty("code").GetString(), after.GetProperty("code").GetString());

        await SetStateAsync(factory, id, QuestionState.Open);
        var refused = await client.PutAsJsonAsync($"/api/questions/{id}", new { prompt = "Sneaky", kind = "Numeric", numericAnswer = 1 });
        Assert.Contains("only a draft", (await refused.AssertProblemAsync(409)).GetProperty("detail").GetString());
        await (await client.DeleteAsync($"/api/questions/{id}")).AssertProblemAsync(409);
        await (await client.DeleteAsync($"/api/events/{eventId}")).AssertProblemAsync(409);

        // Closed, it stays too: the channel announced it by its number, and its answers count in the ranking.
        await SetStateAsync(factory, id, QuestionState.Closed);
        var closed = await client.DeleteAsync($"/api/questions/{id}");
        Assert.Contains("stays until the event is started over", (await closed.AssertProblemAsync(409)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/questions/{id}")).StatusCode);
    }

    static async Task SetStateAsync(CodeQuizFactory factory, int questionId, QuestionState state)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var question = await db.Questions.SingleAsync(q => q.Id == questionId);
        question.State = state;
        question.OpenedAt ??= DateTimeOffset.UtcNow;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task QuestionsAddedAtTheSameTimeEachGetANumberOfTheirOwn()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var first = (await CreateQuestionAsync(client, eventId, new { prompt = "first", kind = "FreeText", acceptedAnswers = new[] { "x" } })).GetProperty("id").GetInt32();
        const string bank = "kind,prompt,acceptedAnswers\nFreeText,from the bank,x\nFreeText,also from the bank,y\n";

        // A script that sends its questions all at once (Promise.all, xargs -P), a double-clicked import, a co-host's duplicate.
        var responses = await Task.WhenAll([
            .. Enumerable.Range(1, 12).Select(i => client.PostAsJsonAsync($"/api/events/{eventId}/questions", new { prompt = $"q{i}", kind = "FreeText", acceptedAnswers = new[] { "x" } })),
            .. Enumerable.Range(1, 3).Select(_ => client.PostAsync($"/api/questions/{first}/duplicate", null)),
            .. Enumerable.Range(1, 2).Select(_ => client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(bank, Encoding.UTF8, "text/csv"))),
        ]);

        Assert.Equal(1, responses[^2..].Count(r => r.StatusCode == HttpStatusCode.OK)); // the bank once: the second import finds its questions there
        var questions = (await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(1 + 12 + 3 + 2, questions.Count);
        Assert.Equal(Enumerable.Range(1, questions.Count), questions.Select(q => q.GetProperty("position").GetInt32()));
    }

    [Fact]
    public async Task QuestionsAreReorderedDuplicatedAndRenumberedAfterADelete()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var ids = new List<int>();
        foreach (var prompt in new[] { "one", "two", "three" })
            ids.Add((await CreateQuestionAsync(client, eventId, new { prompt, kind = "FreeText", acceptedAnswers = new[] { prompt } })).GetProperty("id").GetInt32());

        var reordered = await client.PutAsJsonAsync($"/api/events/{eventId}/questions/order", new { questionIds = new[] { ids[2], ids[0], ids[1] } });
        Assert.Equal(HttpStatusCode.OK, reordered.StatusCode);
        Assert.Equal(["three", "one", "two"], await PromptsAsync(client, eventId));

        var incomplete = await client.PutAsJsonAsync($"/api/events/{eventId}/questions/order", new { questionIds = new[] { ids[0], ids[0], ids[1] } });
        Assert.True((await incomplete.AssertProblemAsync(400)).GetProperty("errors").TryGetProperty("questionIds", out _));

        var copy = await client.PostAsync($"/api/questions/{ids[2]}/duplicate", null);
        Assert.Equal(HttpStatusCode.Created, copy.StatusCode);
        var duplicate = await copy.ReadJsonAsync();
        Assert.Equal("three", duplicate.GetProperty("prompt").GetString());
        Assert.Equal(4, duplicate.GetProperty("position").GetInt32());
        Assert.NotEqual(ids[2], duplicate.GetProperty("id").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/questions/{ids[0]}")).StatusCode);
        var list = await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync();
        Assert.Equal(["three", "two", "three"], list.EnumerateArray().Select(q => q.GetProperty("prompt").GetString()));
        Assert.Equal([1, 2, 3], list.EnumerateArray().Select(q => q.GetProperty("position").GetInt32()));
    }

    [Fact]
    public async Task AQuestionThatHasBeenOpenedKeepsTheNumberItWasAnnouncedWith()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var ids = new List<int>();
        foreach (var prompt in new[] { "one", "two", "three", "four" })
            ids.Add((await CreateQuestionAsync(client, eventId, new { prompt, kind = "FreeText", acceptedAnswers = new[] { prompt } })).GetProperty("id").GetInt32());
        await SetStateAsync(factory, ids[1], QuestionState.Closed);

        // Moved itself, or pushed by a draft moved past it, or by a delete before it: refused, saying why.
        var moved = await client.PutAsJsonAsync($"/api/events/{eventId}/questions/order", new { questionIds = new[] { ids[1], ids[0], ids[2], ids[3] } });
        Assert.Contains("Question 2 has been opened", (await moved.AssertProblemAsync(409)).GetProperty("detail").GetString());
        var pushed = await client.PutAsJsonAsync($"/api/events/{eventId}/questions/order", new { questionIds = new[] { ids[2], ids[0], ids[1], ids[3] } });
        await pushed.AssertProblemAsync(409);
        var deleted = await client.DeleteAsync($"/api/questions/{ids[0]}");
        Assert.Contains("would renumber question 2", (await deleted.AssertProblemAsync(409)).GetProperty("detail").GetString());
        Assert.Equal(["one", "two", "three", "four"], await PromptsAsync(client, eventId));

        // Drafts around it still move and go.
        var swapped = await client.PutAsJsonAsync($"/api/events/{eventId}/questions/order", new { questionIds = new[] { ids[0], ids[1], ids[3], ids[2] } });
        Assert.Equal(HttpStatusCode.OK, swapped.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/questions/{ids[3]}")).StatusCode);
        Assert.Equal(["one", "two", "three"], await PromptsAsync(client, eventId));
    }

    public enum Change { Move, DeleteBefore, Edit }

    [Theory]
    [InlineData(Change.Move)]
    [InlineData(Change.DeleteBefore)]
    [InlineData(Change.Edit)]
    public async Task AChangeReadBeforeAQuestionWasOpenedLeavesTheOpenedQuestionAsAnnounced(Change change)
    {
        await using var factory = ApiTesting.NewFactory();
        // Another organizer opens question 2 after this change read the questions (all drafts) and before it saves.
        var (client, eventId, ids, catalog) = await ThreeDraftsAsync(factory, (services, ids) => services.GetRequiredService<IQuizLifecycle>().OpenAsync(ids[1]));
        var (outcome, message) = change switch
        {
            Change.Move => Of(await catalog.MoveQuestionAsync(ids[2], 1)),
            Change.DeleteBefore => Of(await catalog.DeleteQuestionAsync(ids[0])),
            _ => Of(await catalog.UpdateQuestionAsync(ids[1], new QuestionInput { Prompt = "rewritten", Kind = QuestionKind.FreeText, AcceptedAnswers = ["x"] })),
        };

        Assert.Equal(CatalogOutcome.Conflict, outcome);
        // The editor's organizer is not sent to retry an edit that can no longer be made.
        if (change == Change.Edit)
            Assert.Equal("Question 2 was opened while your changes were being saved, so they were not saved: only a draft can be edited (duplicate it to reuse it).", message);
        Assert.Equal(["one", "two", "three"], await PromptsAsync(client, eventId));
        var opened = await (await client.GetAsync($"/api/questions/{ids[1]}")).ReadJsonAsync();
        Assert.Equal("Open", opened.GetProperty("state").GetString());
        Assert.Equal(2, opened.GetProperty("position").GetInt32());
    }

    [Fact]
    public async Task TwoOrganizersDeletingTheSameQuestionAtOnceIsNoConflict()
    {
        await using var factory = ApiTesting.NewFactory();
        // The co-host's delete of question 2 is saved after this one read it and before this one saves.
        var (client, eventId, ids, catalog) = await ThreeDraftsAsync(factory, (services, ids) => services.GetRequiredService<QuizCatalog>().DeleteQuestionAsync(ids[1]));

        var mine = await catalog.DeleteQuestionAsync(ids[1]);

        // Not "a question was opened": it is gone, as this organizer wanted, which the event page says as such.
        Assert.Equal(CatalogOutcome.NotFound, mine.Outcome);
        Assert.Equal(["one", "three"], await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task AMoveReadBeforeACoHostDeletedAQuestionSaysADeleteMayHaveStoppedIt()
    {
        await using var factory = ApiTesting.NewFactory();
        // The co-host deletes question 2 after this move read the questions and before it saves: nothing was opened.
        var (client, eventId, ids, catalog) = await ThreeDraftsAsync(factory, (services, ids) => services.GetRequiredService<QuizCatalog>().DeleteQuestionAsync(ids[1]));

        var moved = await catalog.MoveQuestionAsync(ids[2], 1);

        Assert.Equal(CatalogOutcome.Conflict, moved.Outcome);
        Assert.Equal("Another organizer opened or deleted a question while this change was being saved, so nothing was changed. "
            + "Look at the questions again and retry.", moved.Message);
        Assert.Equal(["one", "three"], await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task AQuestionOpenedTheMomentAMoveIsSavedIsAnnouncedByItsNewNumber()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = (await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en", channelId = "@cw2026" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var ids = new List<int>();
        foreach (var prompt in new[] { "one", "two", "three" })
            ids.Add((await CreateQuestionAsync(client, eventId, new { prompt, kind = "FreeText", acceptedAnswers = new[] { prompt } })).GetProperty("id").GetInt32());
        var services = factory.Services;
        var lifecycle = services.GetRequiredService<IQuizLifecycle>();
        await lifecycle.StartOverAsync(eventId); // a batch: the bot has read the three drafts, and nothing tells it to read them again
        var dbs = services.GetRequiredService<IDbContextFactory<QuizDbContext>>();

        // A co-host opens "three" the moment this organizer's move of it to the top is committed, before the bot hears of the move.
        var catalog = new QuizCatalog(dbs, TimeProvider.System, new OpensOnceFirst(lifecycle, dbs, ids[2]), services.GetRequiredService<CatalogChanges>());
        Assert.True((await catalog.MoveQuestionAsync(ids[2], 1)).Succeeded);

        await using var db = await dbs.CreateDbContextAsync();
        var announcement = await db.OutboxMessages.SingleAsync(m => m.QuestionId == ids[2] && m.Purpose == OutboxPurpose.ChannelAnnouncement);
        Assert.Contains(BotTexts.For("en").ChannelQuestion(1), announcement.Text);
        Assert.DoesNotContain(BotTexts.For("en").ChannelQuestion(3), announcement.Text);
    }

    /// <summary>The app's lifecycle; told of a catalog change once the question is first in the database, it opens that question before passing the notice on.</summary>
    sealed class OpensOnceFirst(IQuizLifecycle inner, IDbContextFactory<QuizDbContext> dbs, int questionId) : IQuizLifecycle
    {
        bool _opened;

        public void CatalogChanged()
        {
            using (var db = dbs.CreateDbContext())
                if (!_opened && db.Questions.Single(q => q.Id == questionId).Position == 1)
                {
                    _opened = true;
                    inner.OpenAsync(questionId).GetAwaiter().GetResult();
                }
            inner.CatalogChanged();
        }

        public Task<Question> OpenAsync(int id, bool onlyIfNoneOpen = false, CancellationToken cancellationToken = default) => inner.OpenAsync(id, onlyIfNoneOpen, cancellationToken);
        public Task<Question> CloseAsync(int id, CancellationToken cancellationToken = default) => inner.CloseAsync(id, cancellationToken);
        public Task<Question> ReopenAsync(int id, CancellationToken cancellationToken = default) => inner.ReopenAsync(id, cancellationToken);
        public Task<Question> WithdrawAsync(int id, CancellationToken cancellationToken = default) => inner.WithdrawAsync(id, cancellationToken);
        public Task<EventStartedOver> StartOverAsync(int eventId, CancellationToken cancellationToken = default) => inner.StartOverAsync(eventId, cancellationToken);
        public Task<Question> ExtendAsync(int id, int seconds, int? expectedExtraSeconds = null, CancellationToken cancellationToken = default) =>
            inner.ExtendAsync(id, seconds, expectedExtraSeconds, cancellationToken);
        public Task<RankingChange?> LeaveOutAsync(long participantId, bool leaveOut, CancellationToken cancellationToken = default) =>
            inner.LeaveOutAsync(participantId, leaveOut, cancellationToken);
    }

    static (CatalogOutcome, string?) Of<T>(CatalogResult<T> result) => (result.Outcome, result.Message);

    /// <summary>
    /// An event with the drafts "one", "two" and "three", and a catalog of this app whose first save waits until
    /// <paramref name="meanwhile"/> (another organizer's step, given the questions' ids) has completed.
    /// </summary>
    static async Task<(HttpClient Client, int EventId, List<int> Ids, QuizCatalog Catalog)> ThreeDraftsAsync(CodeQuizFactory factory, Func<IServiceProvider, List<int>, Task> meanwhile)
    {
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var ids = new List<int>();
        foreach (var prompt in new[] { "one", "two", "three" })
            ids.Add((await CreateQuestionAsync(client, eventId, new { prompt, kind = "FreeText", acceptedAnswers = new[] { prompt } })).GetProperty("id").GetInt32());
        var services = factory.Services;
        var catalog = new QuizCatalog(new RunsBeforeSaving(services.GetRequiredService<IDbContextFactory<QuizDbContext>>(), () => meanwhile(services, ids)),
            TimeProvider.System, services.GetRequiredService<IQuizLifecycle>(), services.GetRequiredService<CatalogChanges>());
        return (client, eventId, ids, catalog);
    }

    /// <summary>Runs <paramref name="meanwhile"/> (to completion) the first time a context it made is about to save.</summary>
    sealed class RunsBeforeSaving(IDbContextFactory<QuizDbContext> inner, Func<Task> meanwhile) : IDbContextFactory<QuizDbContext>
    {
        bool _ran;

        public QuizDbContext CreateDbContext()
        {
            var db = inner.CreateDbContext();
            db.SavingChanges += (_, _) =>
            {
                if (_ran) return;
                _ran = true;
                meanwhile().GetAwaiter().GetResult();
            };
            return db;
        }
    }

    static async Task<List<string?>> PromptsAsync(HttpClient client, int eventId) =>
        (await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync()).EnumerateArray().Select(q => q.GetProperty("prompt").GetString()).ToList();

    [Fact]
    public async Task TheQuestionBankRoundTripsThroughCsvWithCommasQuotesLineBreaksAndBars()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var source = await CreateEventAsync(client);
        await CreateQuestionAsync(client, source, new { prompt = "if (a || b) {\n  print(\"x, y\");\n}\nWhich operator?", kind = "FreeText", acceptedAnswers = new[] { "||", "or", "back\\slash" }, timeLimitSeconds = 30 });
        await CreateQuestionAsync(client, source, new { prompt = "Pick one", kind = "MultipleChoice", options = new[] { "a, b", "\"c\"", "d" }, correctOption = 2, showPromptOnPresenter = true });
        await CreateQuestionAsync(client, source, new { prompt = "-1 % 3 in Python?", kind = "Numeric", numericAnswer = 2, tolerance = 0.5 });

        var export = await client.GetAsync($"/api/events/{source}/questions.csv");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var csv = await export.Content.ReadAsByteArrayAsync();

        var target = await CreateEventAsync(client);
        var import = await client.PostAsync($"/api/events/{target}/questions.csv", new ByteArrayContent(csv) { Headers = { { "Content-Type", "text/csv" } } });
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        var original = await (await client.GetAsync($"/api/events/{source}/questions")).ReadJsonAsync();
        var copied = await (await client.GetAsync($"/api/events/{target}/questions")).ReadJsonAsync();
        Assert.Equal(3, copied.GetArrayLength());
        foreach (var (a, b) in original.EnumerateArray().Zip(copied.EnumerateArray()))
        {
            foreach (var field in new[] { "prompt", "kind", "acceptedAnswers", "options", "correctOption", "numericAnswer", "tolerance", "timeLimitSeconds", "showPromptOnPresenter", "position" })
                Assert.Equal(a.GetProperty(field).GetRawText(), b.GetProperty(field).GetRawText());
            Assert.NotEqual(a.GetProperty("code").GetString(), b.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task ACsvImportWithBadLinesReportsTheirLineNumbersAndImportsNothing()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var csv = string.Join("\r\n",
            "kind,prompt,acceptedAnswers,options,correctOption,numericAnswer",
            "FreeText,\"Spans\ntwo lines, with a comma\",yes,,,",     // lines 2-3: fine
            "MultipleChoice,Pick,,a|b|c,4,",                         // line 4: option 4 of 3
            "Numeric,How many?,,,,many",                             // line 5: not a number
            "Essay,Write,,,,",                                       // line 6: unknown kind
            "FreeText,,x,,,",                                        // line 7: no prompt
            "FreeText,ok,fine,,,");                                  // line 8: fine

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 4", "line 5", "line 6", "line 7"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.StartsWith("correctOption:", errors.GetProperty("line 4")[0].GetString());
        Assert.StartsWith("numericAnswer:", errors.GetProperty("line 5")[0].GetString());
        Assert.StartsWith("kind:", errors.GetProperty("line 6")[0].GetString());
        Assert.StartsWith("prompt:", errors.GetProperty("line 7")[0].GetString());
        Assert.Empty((await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync()).EnumerateArray());

        var badHeader = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent("kind,question\r\nFreeText,x\r\n", Encoding.UTF8, "text/csv"));
        Assert.True((await badHeader.AssertProblemAsync(400)).GetProperty("errors").TryGetProperty("line 1", out _));
    }

    [Fact]
    public async Task ACsvImportKeepsQuotesInsideAFieldAndRefusesAQuoteThatIsNeverClosed()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        Task<HttpResponseMessage> ImportAsync(string csv) =>
            client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        // Written by hand, as spreadsheets read it: a quote inside an unquoted field is text.
        var kept = await ImportAsync("kind,prompt,acceptedAnswers\nFreeText,What does print(\"hi\") print?,hi\n");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal("What does print(\"hi\") print?", (await kept.ReadJsonAsync())[0].GetProperty("prompt").GetString());

        // The prompt is the last column: without the check the next question would become part of its text.
        var unclosed = await ImportAsync("kind,acceptedAnswers,prompt\nFreeText,a,\"Which one?\nFreeText,b,Second question\n");
        var errors = (await unclosed.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 2"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("never closed", errors.GetProperty("line 2")[0].GetString());
        Assert.Equal(["What does print(\"hi\") print?"], await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task AQuotedFieldWrittenAfterASpaceIsRefusedNotImportedWithItsQuotes()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        // Written by hand with a space after each comma: the quotes are text there, so line 2 would be imported with them.
        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(
            "kind, prompt, acceptedAnswers\r\nFreeText, \"What is 2+2?\", 4\r\nFreeText, \"Which one, a or b?\", a\r\nFreeText, print(\"hi\") prints?, hi\r\n",
            Encoding.UTF8, "text/csv"));

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 2", "line 3"], errors.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("Field 2 has a space before its opening double quote", errors.GetProperty("line 3")[0].GetString());
        Assert.Empty(await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task ACsvImportSavedByASpreadsheetWithSemicolonsAndDecimalCommasIsRead()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(
            "kind;prompt;numericAnswer;tolerance\r\nNumeric;Quanto vale pi, con due decimali?;3,14;0,005\r\n", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var question = (await response.ReadJsonAsync())[0];
        Assert.Equal(("Quanto vale pi, con due decimali?", 3.14, 0.005),
            (question.GetProperty("prompt").GetString(), question.GetProperty("numericAnswer").GetDouble(), question.GetProperty("tolerance").GetDouble()));
    }

    [Fact]
    public async Task ACsvThatNamesItsSeparatorForExcelOnItsFirstLineIsRead()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        // "sep=;" tells Excel the separator; tools that write CSV for Excel put it before the header.
        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(
            "sep=;\r\nkind;prompt;numericAnswer\r\nNumeric;Pi, to two places?;3,14\r\nNumeric;Bad;x\r\n", Encoding.UTF8, "text/csv"));

        // Line numbers still count the hint: the bad line is the file's fourth.
        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 4"], errors.EnumerateObject().Select(p => p.Name));

        response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(
            "SEP=,\nkind,prompt,numericAnswer\nNumeric,\"Pi; to two places?\",3.14\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Pi; to two places?"], await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task ACsvNumberWhoseCommaMayGroupThousandsIsAskedAboutNotImportedAsOne()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        Task<HttpResponseMessage> ImportAsync(string csv) =>
            client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        // A cell formatted with thousands commas saves a thousand as "1,000"; read with a decimal comma it would be 1.
        var commas = await ImportAsync("kind,prompt,numericAnswer,tolerance\r\nNumeric,Pi?,\"3,14\",\"0,005\"\r\nNumeric,Bytes in a kilobyte?,\"1,000\",\r\n");
        var errors = (await commas.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 3"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal("numericAnswer: “1,000” could be 1000 (a thousands comma) or 1.000 (a decimal comma): write it as one of those.",
            errors.GetProperty("line 3")[0].GetString());
        var semicolons = await ImportAsync("kind;prompt;numericAnswer;tolerance\r\nNumeric;Bytes in a kilobyte?;1000;1,500\r\n");
        Assert.StartsWith("tolerance: “1,500” could be 1500", (await semicolons.AssertProblemAsync(400)).GetProperty("errors").GetProperty("line 2")[0].GetString());
        Assert.Empty(await PromptsAsync(client, eventId));

        var written = await ImportAsync("kind,prompt,numericAnswer,tolerance\r\nNumeric,Pi?,\"3,14\",\"0,005\"\r\nNumeric,Bytes in a kilobyte?,1000,\r\n");
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        Assert.Equal([3.14, 1000], (await written.ReadJsonAsync()).EnumerateArray().Select(q => q.GetProperty("numericAnswer").GetDouble()));
    }

    [Fact]
    public async Task ACsvYesOrNoIsReadAsSpreadsheetsInOtherLanguagesSaveIt()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        Task<HttpResponseMessage> ImportAsync(string csv) =>
            client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        // Italian, German, French, Spanish spreadsheets save a TRUE cell in their own words; people type sì, yes or 1.
        (string Text, bool Shown)[] cells =
        [
            ("VERO", true), ("FALSO", false), ("WAHR", true), ("FALSCH", false), ("VRAI", true), ("FAUX", false),
            ("VERDADERO", true), ("Falso", false), ("Sì", true), ("si", true), ("NO", false), ("yes", true), ("1", true), ("0", false), ("", false),
        ];

        var response = await ImportAsync("kind;prompt;acceptedAnswers;showPromptOnPresenter\r\n" +
            string.Concat(cells.Select((c, i) => $"FreeText;Question {i + 1};a;{c.Text}\r\n")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(cells.Select(c => c.Shown), (await response.ReadJsonAsync()).EnumerateArray().Select(q => q.GetProperty("showPromptOnPresenter").GetBoolean()));

        var unknown = await ImportAsync("kind,prompt,acceptedAnswers,showPromptOnPresenter\r\nFreeText,One more,a,maybe\r\n");
        var message = (await unknown.AssertProblemAsync(400)).GetProperty("errors").GetProperty("line 2")[0].GetString()!;
        Assert.StartsWith("showPromptOnPresenter: \"maybe\" is not yes or no: write true, yes, 1, vero, sì", message);
        Assert.Contains("falso, falsch", message);
        Assert.Equal(cells.Length, (await PromptsAsync(client, eventId)).Count);
    }

    [Fact]
    public async Task AQuestionBankUploadedAsAFormIsToldToSendTheFileAsTheBodyNotThatItsHeaderIsMissing()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        // curl -F file=@bank.csv, or fetch with a FormData: the body starts with the form's boundary, not the bank's header.
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes("kind,prompt,acceptedAnswers\nFreeText,Which language has goroutines?,Go\n")), "file", "bank.csv" },
        };
        var problem = await (await client.PostAsync($"/api/events/{eventId}/questions.csv", form)).AssertProblemAsync(415);

        Assert.Contains("--data-binary @bank.csv", problem.GetProperty("detail").GetString());
        Assert.Empty(await PromptsAsync(client, eventId));
    }

    [Theory]
    [InlineData("UTF-16LE")]
    [InlineData("UTF-16BE")]
    [InlineData("UTF-8 with BOM")]
    public async Task ExcelsUnicodeTextSeparatedByTabsIsImportedWithItsAccentsQuotesAndLineBreaks(string encoding)
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var file = encoding switch
        {
            "UTF-16LE" => OfficeFiles.UnicodeText(),
            "UTF-16BE" => OfficeFiles.UnicodeText(bigEndian: true),
            // The same tab-separated text, re-saved as UTF-8 by a text editor.
            _ => [.. Csv.Encoding.GetPreamble(), .. Encoding.UTF8.GetBytes(Encoding.Unicode.GetString(OfficeFiles.UnicodeText()).TrimStart('\uFEFF'))],
        };

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new ByteArrayContent(file) { Headers = { { "Content-Type", "text/plain" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var questions = (await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(OfficeFiles.UnicodeTextQuestions.Select(q => q.Prompt), questions.Select(q => q.GetProperty("prompt").GetString()));
        Assert.Equal(["Giò", "perché sì"], questions[0].GetProperty("acceptedAnswers").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["012"], questions[1].GetProperty("acceptedAnswers").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal((3.14, 0.005), (questions[2].GetProperty("numericAnswer").GetDouble(), questions[2].GetProperty("tolerance").GetDouble()));
        Assert.Equal(["a, b", "c"], questions[3].GetProperty("options").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("a, b", questions[3].GetProperty("correctAnswerText").GetString());
    }

    [Fact]
    public async Task AQuestionBankIsLimitedByItsCharactersSoUnicodeTextHoldsAsManyQuestionsAsCsvUtf8()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        // One event for each encoding: the same bank twice in one event would be refused as questions it already has.
        var utf16 = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        var events = new Dictionary<Encoding, int> { [utf16] = await CreateEventAsync(client), [Csv.Encoding] = await CreateEventAsync(client) };
        Task<HttpResponseMessage> ImportAsync(string text, Encoding encoding) =>
            client.PostAsync($"/api/events/{events[encoding]}/questions.csv",
                new ByteArrayContent([.. encoding.GetPreamble(), .. encoding.GetBytes(text)]) { Headers = { { "Content-Type", "text/plain" } } });

        // 1,000,000 characters: 2,000,002 bytes as Unicode Text, a little over 1,000,000 as CSV UTF-8 (è and ì take two).
        var largest = OfficeFiles.QuestionBankOfLength(Csv.ImportMaxChars);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(largest, utf16)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(largest, Csv.Encoding)).StatusCode);
        foreach (var eventId in events.Values)
            Assert.Equal(400, (await PromptsAsync(client, eventId)).Count);

        var tooLarge = OfficeFiles.QuestionBankOfLength(Csv.ImportMaxChars + 1);
        foreach (var encoding in new Encoding[] { utf16, Csv.Encoding })
        {
            var problem = await (await ImportAsync(tooLarge, encoding)).AssertProblemAsync(413);
            Assert.StartsWith("The file has more than 1,000,000 characters", problem.GetProperty("detail").GetString());
        }
        foreach (var eventId in events.Values)
            Assert.Equal(400, (await PromptsAsync(client, eventId)).Count);
    }

    [Fact]
    public async Task UnicodeTextWithoutAByteOrderMarkIsRefusedSayingWhatItIs()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        foreach (var bigEndian in new[] { false, true })
        {
            // Without the mark the bytes of each letter could be either way round: guessing could garble the questions.
            var file = OfficeFiles.UnicodeText(bigEndian)[2..];
            var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new ByteArrayContent(file) { Headers = { { "Content-Type", "text/plain" } } });

            var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
            Assert.Equal(["file"], errors.EnumerateObject().Select(p => p.Name));
            var message = errors.GetProperty("file")[0].GetString()!;
            Assert.StartsWith("This is UTF-16 text without the byte-order mark", message);
            Assert.Contains("CSV UTF-8", message);
        }
        Assert.Empty(await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task ACsvImportSavedInAnotherEncodingThanUtf8IsRefusedRatherThanLosingItsAccents()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        // What a spreadsheet's plain "CSV" gives on a Western European Windows: one byte per accented letter.
        var latin1 = Encoding.Latin1.GetBytes("kind,prompt,acceptedAnswers\r\nFreeText,Capital of Italy?,Rome\r\nFreeText,Perché?,Giò\r\n");

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new ByteArrayContent(latin1) { Headers = { { "Content-Type", "text/csv" } } });

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 3"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("save the file as \"CSV UTF-8\" or as Excel's \"Unicode Text\"", errors.GetProperty("line 3")[0].GetString());
        Assert.Empty(await PromptsAsync(client, eventId));
    }

    public static TheoryData<string, string> NotCsvFiles => new()
    {
        { "xlsx", "This looks like an Excel workbook (.xlsx)" },
        { "xls", "This looks like an Excel 97–2003 workbook (.xls)" },
        { "ods", "This looks like a LibreOffice or OpenOffice spreadsheet (.ods)" },
        { "zip", "This is a ZIP archive" },
        { "pdf", "This is a PDF" },
        { "png", "This is not a text file" },
    };

    [Theory]
    [MemberData(nameof(NotCsvFiles))]
    public async Task AFileThatIsNotCsvTextIsRefusedByWhatItIsWithoutEchoingItsBytes(string kind, string answer)
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var file = kind switch
        {
            "xlsx" => OfficeFiles.Xlsx(),
            "xls" => OfficeFiles.Xls(),
            "ods" => OfficeFiles.Ods(),
            "zip" => OfficeFiles.ZippedCsv(),
            "pdf" => Encoding.Latin1.GetBytes("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"),
            _ => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="),
        };

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new ByteArrayContent(file) { Headers = { { "Content-Type", "text/csv" } } });

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["file"], errors.EnumerateObject().Select(p => p.Name));
        var message = errors.GetProperty("file")[0].GetString()!;
        Assert.StartsWith(answer, message);
        Assert.Contains("CSV UTF-8", message);
        Assert.DoesNotContain(message, c => char.IsControl(c) || c == '\uFFFD');
        Assert.Empty(await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task EmptyColumnsWithNoNameAreIgnoredAndOneWithTextIsRefusedByItsNumber()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        Task<HttpResponseMessage> ImportAsync(string csv) =>
            client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        // The header forgot acceptedAnswers: the answers would be lost without a word.
        var forgotten = await ImportAsync("kind,prompt,,\r\nFreeText,Which keyword declares a constant?,const,\r\n");
        var errors = (await forgotten.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 2"], errors.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("Column 3 has no name in the header but has text on this line;", errors.GetProperty("line 2")[0].GetString());
        Assert.Empty(await PromptsAsync(client, eventId));

        // A spreadsheet saves empty columns after the table when a cell there was once used: nothing in them, nothing lost.
        var saved = await ImportAsync("kind,prompt,acceptedAnswers,,\r\nFreeText,Which keyword declares a constant?,const,,\r\nFreeText,Which keyword loops?,for,,\r\n");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(["Which keyword declares a constant?", "Which keyword loops?"], await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task ALineMayStopBeforeTheEmptyUnnamedColumnsButNotBeforeANamedOne()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        Task<HttpResponseMessage> ImportAsync(string csv) =>
            client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        // One line lost its trailing commas in a text editor: the columns it lacks have no name, so nothing is missing.
        var trimmed = await ImportAsync("kind,prompt,acceptedAnswers,,\r\nFreeText,Which keyword declares a constant?,const,,\r\nFreeText,Which keyword loops?,for\r\n");
        Assert.Equal(HttpStatusCode.OK, trimmed.StatusCode);
        Assert.Equal(["Which keyword declares a constant?", "Which keyword loops?"], await PromptsAsync(client, eventId));

        // A line break in an unquoted prompt splits it into short lines: those still lack named columns.
        var split = await ImportAsync("kind,prompt,acceptedAnswers,,\r\nFreeText,What does this print?\nprint(1),1,,\r\n");
        var errors = (await split.AssertProblemAsync(400)).GetProperty("errors");
        Assert.StartsWith("The line has 2 fields but the header has 5;", errors.GetProperty("line 2")[0].GetString());
        Assert.Equal(2, (await PromptsAsync(client, eventId)).Count);
    }

    [Fact]
    public async Task AFieldOfAnotherKindIsRefusedNamingTheKindItBelongsTo()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        var csv = "kind,prompt,acceptedAnswers,options,correctOption,numericAnswer,tolerance\r\n" +
            "FreeText,Which keyword loops?,,for|if|try,1,,\r\n" +
            "Numeric,How many bits in a byte?,eight,,,8,0\r\n" +
            "MultipleChoice,Which is a loop?,,for|if,1,,0.5\r\n" +
            "FreeText,Which keyword declares a constant?,const,,,,\r\n";

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 2", "line 3", "line 4"], errors.EnumerateObject().Select(p => p.Name));
        string[] Messages(string line) => [.. errors.GetProperty(line).EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(
            ["options: a FreeText question has no options (MultipleChoice questions do); empty the field or change the kind.",
             "correctOption: a FreeText question has no correctOption (MultipleChoice questions do); empty the field or change the kind.",
             "acceptedAnswers: A free-text question needs at least one accepted answer."],
            Messages("line 2"));
        Assert.Equal(["acceptedAnswers: a Numeric question has no acceptedAnswers (FreeText questions do); empty the field or change the kind."], Messages("line 3"));
        Assert.Equal(["tolerance: a MultipleChoice question has no tolerance (Numeric questions do); empty the field or change the kind."], Messages("line 4"));
        Assert.Empty(await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task APromptShiftedIntoTheKindIsShownOnlyInPart()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        // The kind column left out of a line: the whole prompt, emoji and all, lands in it.
        var prompt = string.Concat(Enumerable.Repeat("Which 👩‍💻 keyword declares a constant? ", 10));

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv",
            new StringContent($"kind,prompt\r\n\"{prompt}\",const\r\n", Encoding.UTF8, "text/csv"));

        var message = (await response.AssertProblemAsync(400)).GetProperty("errors").GetProperty("line 2")[0].GetString()!;
        Assert.Equal($"kind: \"{new StringInfo(prompt).SubstringByTextElements(0, 40)}…\" is not FreeText, MultipleChoice or Numeric.", message);
    }

    [Fact]
    public async Task AnUnknownColumnIsNamedOnlyAsFarAsItIsReadableText()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        // Text, but for a stray control character and a name pasted whole: what the header shows back stays readable.
        var header = "kind,prompt,acceptedAnswers,\u0007bell," + new string('x', 500);
        var csv = header + "\r\n" + string.Concat(Enumerable.Repeat("FreeText,Which keyword declares a constant in C#?,const,,\r\n", 10));

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors").GetProperty("line 1").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("Column 4 of the header is not readable text;", errors[0]);
        Assert.StartsWith($"Unknown column \"{new string('x', 40)}…\";", errors[1]);
        Assert.DoesNotContain(errors, e => e.Any(char.IsControl));
    }

    [Fact]
    public async Task AFileWithoutItsHeaderLineIsRefusedSayingTheHeaderIsMissingNotListingItsFieldsAsColumns()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);

        // Questions pasted from another sheet without the header row: the first question is not a header with bad names.
        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(
            "FreeText,Which keyword declares a constant?,const\r\nNumeric,How many bits in a byte?,,,,8\r\n", Encoding.UTF8, "text/csv"));

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 1"], errors.EnumerateObject().Select(p => p.Name));
        var message = Assert.Single(errors.GetProperty("line 1").EnumerateArray()).GetString()!;
        Assert.StartsWith("The first line is not the header", message);
        Assert.Contains(string.Join(",", QuizCatalog.CsvColumns), message);
        Assert.Empty(await PromptsAsync(client, eventId));
    }

    [Fact]
    public async Task AQuestionTwiceInTheFileOrAlreadyInTheEventIsRefusedByItsLineSoAnImportAgainDoesNotDoubleTheBank()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        Task<HttpResponseMessage> ImportAsync(string csv) =>
            client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        const string header = "kind,prompt,acceptedAnswers,options,correctOption,numericAnswer,timeLimitSeconds\r\n";
        const string bank = header +
            "FreeText,Which keyword declares a constant?,const,,,,\r\n" +
            "MultipleChoice,Which is a value type?,,string|int,2,,\r\n" +
            "MultipleChoice,Which is a value type?,,object|bool,2,,\r\n" +   // same prompt, other options: another question
            "Numeric,How many bits in a byte?,,,,8,\r\n";
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(bank)).StatusCode);

        // The bank imported again with a time limit added and a question more: the question with a new time limit is
        // still one the event has (participants would be asked it twice); only the last line is new.
        var again = await ImportAsync(bank.Replace("8,\r\n", "8,30\r\n") + "FreeText,Which keyword loops?,for,,,,\r\n");
        var errors = (await again.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 2", "line 3", "line 4", "line 5"], errors.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("The same question as question 1 of the event", errors.GetProperty("line 2")[0].GetString());
        Assert.StartsWith("The same question as question 3 of the event", errors.GetProperty("line 4")[0].GetString());
        Assert.StartsWith("The same question as question 4 of the event", errors.GetProperty("line 5")[0].GetString());
        Assert.Equal(4, (await PromptsAsync(client, eventId)).Count);

        // A row pasted twice, told apart from the first only by case and spaces around the answers.
        var twice = await ImportAsync(header + "FreeText,Which keyword loops?,for|while,,,,\r\nFreeText,Which keyword loops?, While | FOR ,,,,\r\n");
        errors = (await twice.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Equal(["line 3"], errors.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("The same question as line 2", errors.GetProperty("line 3")[0].GetString());
        Assert.Equal(4, (await PromptsAsync(client, eventId)).Count);
    }

    [Theory]
    [InlineData(";", "semicolons")]
    [InlineData("\t", "tabs")]
    [InlineData(",", "commas")]
    public async Task ALineWithTooManyFieldsNamesTheSeparatorTheFileUses(string separator, string named)
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = await CreateEventAsync(client);
        // Written by hand in a text editor: the separator in the unquoted prompt splits it.
        var csv = string.Join(separator, "kind", "prompt", "acceptedAnswers") + "\r\n" +
            string.Join(separator, "FreeText", "Cosa stampa print(1)" + separator + " print(2)?", "1") + "\r\n";

        var response = await client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var message = (await response.AssertProblemAsync(400)).GetProperty("errors").GetProperty("line 2")[0].GetString()!;
        Assert.Equal($"The line has 4 fields but the header has 3; put prompts with {named} or line breaks in double quotes.", message);
    }
}
