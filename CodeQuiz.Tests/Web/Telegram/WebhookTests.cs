using System.Net;
using System.Text;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Telegram;

public class WebhookTests : IAsyncLifetime
{
    const string Secret = "test-secret_123";
    readonly CodeQuizFactory _factory = new();
    HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    Task<HttpResponseMessage> PostAsync(string body, string? secret = Secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return _client.SendAsync(request);
    }

    async Task<T> DbAsync<T>(Func<QuizDbContext, Task<T>> query)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("test-secret_12")]
    public async Task AWrongOrMissingSecretGets401AndNothingIsStored(string? secret)
    {
        var response = await PostAsync(Fixtures.Json("message-start-with-code"), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await DbAsync(db => db.ProcessedUpdates.CountAsync()));
        Assert.Equal(0, await DbAsync(db => db.DeadLetters.CountAsync()));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    public async Task AnotherMethodThanPostIsToldTheWebhookTakesPost(string method)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "/telegram/webhook") { Content = new StringContent(Fixtures.Json("message-start-with-code"), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("it takes POST", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await DbAsync(db => db.ProcessedUpdates.CountAsync()));
    }

    [Fact]
    public async Task AnUpdateIsStoredBeforeThe200()
    {
        var response = await PostAsync(Fixtures.Json("message-start-with-code"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await DbAsync(db => db.ProcessedUpdates.CountAsync(u => u.UpdateId == 812345001)));
        Assert.Equal(1, await DbAsync(db => db.Participants.CountAsync(p => p.Id == 987654321)));
    }

    [Fact]
    public async Task AMessageOfAKindNewerThanTheBotIsStoredAndAnsweredNotKeptAsADeadLetter()
    {
        var response = await PostAsync(Fixtures.Json("message-unknown-kind"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await DbAsync(db => db.DeadLetters.CountAsync()));
        var reply = await DbAsync(db => db.OutboxMessages.SingleAsync(m => m.ChatId == "987654321"));
        Assert.Contains("I can only read text messages", reply.Text);
    }

    [Fact]
    public async Task ARepeatedUpdateIsAcknowledgedAndHasOneEffect()
    {
        var json = Fixtures.Json("message-start-with-code");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(json)).StatusCode);
        var outboxAfterFirst = await DbAsync(db => db.OutboxMessages.CountAsync());

        var again = await Task.WhenAll(PostAsync(json), PostAsync(json));

        Assert.All(again, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await DbAsync(db => db.ProcessedUpdates.CountAsync()));
        Assert.Equal(outboxAfterFirst, await DbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task ARepeatOfAStoredUpdateIsAnsweredEvenWhileTheWriterIsHeldUp()
    {
        var stored = Fixtures.Json("message-start-with-code");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(stored)).StatusCode);
        await using (var blocker = new SqliteConnection($"Data Source={_factory.DatabasePath}"))
        {
            await blocker.OpenAsync();
            await using var tx = await blocker.BeginTransactionAsync(); // the writer cannot commit now
            var fresh = PostAsync(Fixtures.Json("message-sticker"));

            var repeat = await PostAsync(stored).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
            Assert.False(fresh.IsCompleted, "an update that is not stored yet was answered before its commit");
            await tx.RollbackAsync();
            Assert.Equal(HttpStatusCode.OK, (await fresh).StatusCode);
        }
        Assert.Equal(2, await DbAsync(db => db.ProcessedUpdates.CountAsync()));
        Assert.Equal(1, await DbAsync(db => db.Participants.CountAsync()));
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("{\"update_id\": \"many\"}")]
    [InlineData("{\"message\": {\"text\": \"no update id\"}}")]
    [InlineData("[1,2,3]")]
    public async Task ABodyThatIsNotAnUpdateIsKeptAsADeadLetterAndAcknowledged(string body)
    {
        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dead = await DbAsync(db => db.DeadLetters.SingleAsync());
        Assert.Equal(body, dead.Body);
        Assert.False(string.IsNullOrWhiteSpace(dead.Reason));
    }

    [Fact]
    public async Task ABodyOverTheLimitGets413()
    {
        var huge = "{\"update_id\":1,\"message\":{\"text\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";

        var response = await PostAsync(huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await DbAsync(db => db.DeadLetters.CountAsync()));
    }

    [Fact]
    public async Task NoRequestIsAcknowledgedWhileItsBatchCannotCommit()
    {
        _ = await PostAsync(Fixtures.Json("message-sticker")); // the pipeline is up
        await using (var blocker = new SqliteConnection($"Data Source={_factory.DatabasePath}"))
        {
            await blocker.OpenAsync();
            await using var tx = await blocker.BeginTransactionAsync(); // Microsoft.Data.Sqlite takes the write lock (BEGIN IMMEDIATE)
            var pending = PostAsync(Fixtures.Json("message-start-with-code"));

            await Task.Delay(500);
            Assert.False(pending.IsCompleted, "the webhook answered while the database could not commit");
            await tx.RollbackAsync();

            Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
        }
        Assert.Equal(1, await DbAsync(db => db.ProcessedUpdates.CountAsync(u => u.UpdateId == 812345001)));
    }
}

public class WebhookBackPressureTests
{
    [Fact]
    public async Task AFullQueueAnswers503WithRetryAfter()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:SecretToken"] = "s";
        factory.Settings["Ingest:QueueCapacity"] = "1";
        factory.Settings["Ingest:MaxBatchSize"] = "1";
        var client = factory.CreateClient();
        Task<HttpResponseMessage> Post(long id) => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook")
        {
            Content = new StringContent(Fixtures.Json("message-sticker").Replace("812345", $"9{id}"), Encoding.UTF8, "application/json"),
            Headers = { { "X-Telegram-Bot-Api-Secret-Token", "s" } },
        });
        _ = await Post(0);

        await using var blocker = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await blocker.OpenAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        var posts = Enumerable.Range(1, 6).Select(i => Post(i)).ToList();
        var busy = await await Task.WhenAny(posts);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("1", busy.Headers.RetryAfter?.ToString());
        await tx.RollbackAsync();
        await Task.WhenAll(posts);
    }
}
