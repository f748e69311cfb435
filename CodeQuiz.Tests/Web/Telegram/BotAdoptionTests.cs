using System.Net;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telegram.Bot;

namespace CodeQuiz.Tests.Web.Telegram;

/// <summary>
/// A start with a token for another bot than the one whose update ids and waiting messages are stored: a test bot's
/// before the real one, or the real bot's token with a digit mistyped. Nothing is forgotten until Telegram confirms it.
/// </summary>
public class BotAdoptionTests
{
    const long RealBot = 5_555_555, MistypedBot = 5_555_556;
    const string Secret = "adoption-secret_0123456789", Channel = "@codeweek";

    [Fact]
    public async Task AMistypedTokenDropsNothingTheRealBotWasWaitingToSend()
    {
        await using var database = await YesterdaysDatabase.CreateAsync();

        // The token's digits are one off: Telegram refuses it.
        var telegram = new StubBotApi().Refuse("getMe", 401, "Unauthorized");
        await using (var factory = Start(database, MistypedBot, telegram))
        {
            await WaitAsync(() => factory.Services.GetRequiredService<BotStatus>().LastError?.Contains("Unauthorized") == true);
            var updates = new TelegramUpdates(factory.CreateClient(), Secret);

            var response = await updates.TryPostAsync(updates.Text(424242, "/start"));

            // Telegram keeps the update and sends it again later; nothing is stored for a bot that is not confirmed.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("confirms the token", await response.Content.ReadAsStringAsync());
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal((RealBot, MistypedBot), factory.Services.GetRequiredService<BotAdoption>().Waiting);
            // A monitor on /healthz learns that the show takes no answers, and the console still works.
            var health = await factory.CreateClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("confirm the bot", await health.Content.ReadAsStringAsync());
        }
        await using (var db = database.Context())
        {
            Assert.Equal(RealBot, (await db.UpdateSources.SingleAsync()).BotId);
            Assert.Equal(40, await db.ProcessedUpdates.CountAsync());
            Assert.Equal(OutboxStatus.Pending, (await db.OutboxMessages.SingleAsync()).Status);
        }
        Assert.DoesNotContain("sendMessage", telegram.Calls);

        // Corrected and restarted: the real bot posts the results it was waiting to post.
        var corrected = Answering(RealBot);
        await using (var factory = Start(database, RealBot, corrected))
        {
            await WaitAsync(() => corrected.CallsSoFar().Contains("sendMessage"));
            await WaitAsync(async () =>
            {
                await using var db = database.Context();
                return await db.OutboxMessages.AnyAsync(m => m.Status == OutboxStatus.Sent);
            });
            var updates = new TelegramUpdates(factory.CreateClient(), Secret);
            Assert.Equal(HttpStatusCode.OK, (await updates.TryPostAsync(updates.Text(424242, "/start"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode);
        }
        await using (var db = database.Context())
            Assert.Equal(41, await db.ProcessedUpdates.CountAsync());
    }

    [Fact]
    public async Task AnotherBotTakesOverOnlyOnceTelegramConfirmsIt()
    {
        await using var database = await YesterdaysDatabase.CreateAsync();
        var telegram = Answering(MistypedBot).Refuse("getMe", 503, "Service Unavailable");
        await using var factory = Start(database, MistypedBot, telegram);
        await WaitAsync(() => factory.Services.GetRequiredService<BotStatus>().LastError is not null);
        // An organizer opens a question meanwhile: its channel post is this bot's, and must survive the takeover.
        await using (var db = database.Context())
        {
            db.OutboxMessages.Add(Post("Question 2 is open"));
            await db.SaveChangesAsync();
        }

        telegram.Answer("getMe", Me(MistypedBot));
        await WaitAsync(() => factory.Services.GetRequiredService<BotAdoption>().IsSettled);
        await WaitAsync(async () =>
        {
            await using var db = database.Context();
            return await db.OutboxMessages.AnyAsync(m => m.Status == OutboxStatus.Sent);
        });

        await using (var db = database.Context())
        {
            Assert.Equal(MistypedBot, (await db.UpdateSources.SingleAsync()).BotId);
            Assert.Equal(0, await db.ProcessedUpdates.CountAsync());
            Assert.Equal(["Question 2 is open"], await db.OutboxMessages.Select(m => m.Text).ToListAsync());
        }
        var updates = new TelegramUpdates(factory.CreateClient(), Secret);
        Assert.Equal(HttpStatusCode.OK, (await updates.TryPostAsync(updates.Text(424242, "/start"))).StatusCode);
    }

    [Fact]
    public async Task APollingBotFetchesAndSendsNothingUntilTelegramConfirmsIt()
    {
        await using var database = await YesterdaysDatabase.CreateAsync();
        const string page = """[{"update_id":600000001,"message":{"message_id":1,"date":1764000000,"chat":{"id":424242,"type":"private","first_name":"Ada"},"from":{"id":424242,"is_bot":false,"first_name":"Ada"},"text":"/start"}}]""";
        var telegram = new StubBotApi()
            .Refuse("getMe", 401, "Unauthorized")
            .Answer("deleteWebhook", "true")
            .Answer("getUpdates", page)
            .Answer("sendMessage", """{"message_id":7,"date":1764000000,"chat":{"id":424242,"type":"private","first_name":"Ada"}}""");
        await using var factory = Start(database, MistypedBot, telegram, mode: "Polling");
        await WaitAsync(() => factory.Services.GetRequiredService<BotStatus>().LastError?.Contains("Unauthorized") == true);
        await WaitAsync(() => telegram.CallsSoFar().Count(c => c == "getMe") >= 2); // asked again, still refused

        // Nothing taken from Telegram (its offset would confirm updates the real bot has not seen), nothing sent.
        Assert.DoesNotContain("getUpdates", telegram.CallsSoFar());
        Assert.DoesNotContain("deleteWebhook", telegram.CallsSoFar());
        Assert.DoesNotContain("sendMessage", telegram.CallsSoFar());
        Assert.Equal((RealBot, MistypedBot), factory.Services.GetRequiredService<BotAdoption>().Waiting);
        await using (var db = database.Context())
        {
            Assert.Equal(40, await db.ProcessedUpdates.CountAsync());
            Assert.Equal(OutboxStatus.Pending, (await db.OutboxMessages.SingleAsync()).Status);
        }

        // Telegram confirms the token: this bot takes over, polls and answers; the other bot's post is not sent.
        telegram.Answer("getMe", Me(MistypedBot));
        await WaitAsync(async () =>
        {
            await using var db = database.Context();
            return await db.ProcessedUpdates.AnyAsync(u => u.UpdateId == 600000001);
        });
        await WaitAsync(() => telegram.CallsSoFar().Contains("sendMessage"));
        await using (var db = database.Context())
        {
            Assert.Equal(MistypedBot, (await db.UpdateSources.SingleAsync()).BotId);
            Assert.Equal([600000001], await db.ProcessedUpdates.Select(u => u.UpdateId).ToListAsync());
            Assert.DoesNotContain("Question 1: results", await db.OutboxMessages.Select(m => m.Text).ToListAsync());
        }
    }

    static CodeQuizFactory Start(YesterdaysDatabase database, long botId, StubBotApi telegram, string mode = "Webhook")
    {
        var token = $"{botId}:adoptionTOKEN_a1b2c3";
        var factory = new CodeQuizFactory
        {
            ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton<ITelegramBotClient>(
                new TelegramBotClient(new TelegramBotClientOptions(token) { RetryThreshold = 0 }, new HttpClient(telegram)))),
        };
        factory.Settings["Database:ConnectionString"] = $"Data Source={database.Path}";
        factory.Settings["Telegram:Mode"] = mode;
        factory.Settings["Telegram:BotToken"] = token;
        factory.Settings["Telegram:WebhookUrl"] = "https://quiz.example.org/telegram/webhook";
        factory.Settings["Telegram:SecretToken"] = Secret;
        factory.StartServer();
        return factory;
    }

    /// <summary>A Bot API that knows the bot and takes every call.</summary>
    static StubBotApi Answering(long botId) => new StubBotApi()
        .Answer("getMe", Me(botId))
        .Answer("setWebhook", "true")
        .Answer("getWebhookInfo", """{"url":"https://quiz.example.org/telegram/webhook","has_custom_certificate":false,"pending_update_count":0}""")
        .Answer("sendMessage", """{"message_id":7,"date":1764000000,"chat":{"id":-1001234567890,"type":"channel","title":"Code Week"}}""");

    static string Me(long botId) => $$"""{"id":{{botId}},"is_bot":true,"first_name":"Quiz","username":"quiz_bot"}""";

    static OutboxMessage Post(string text) => new()
    {
        Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.ChannelResults, Priority = OutboxMessage.UrgentPriority,
        ChatId = Channel, Text = text, CreatedAt = DateTimeOffset.UtcNow, NotBefore = DateTimeOffset.UtcNow,
    };

    static Task WaitAsync(Func<bool> condition) => WaitAsync(() => Task.FromResult(condition()));

    static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }

    /// <summary>The real bot's database: its update ids, and a results post it stopped before sending.</summary>
    sealed class YesterdaysDatabase : IAsyncDisposable
    {
        readonly string _folder = Directory.CreateTempSubdirectory("codequiz-adoption-").FullName;

        public string Path => System.IO.Path.Combine(_folder, "codequiz.db");

        public SqliteQuizDbContext Context() =>
            new(new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite($"Data Source={Path}").Options);

        public static async Task<YesterdaysDatabase> CreateAsync()
        {
            var database = new YesterdaysDatabase();
            await using var db = database.Context();
            await db.Database.MigrateAsync();
            db.UpdateSources.Add(new UpdateSource { BotId = RealBot, Since = DateTimeOffset.UtcNow.AddDays(-1) });
            for (var id = 500_000_101; id <= 500_000_140; id++)
                db.ProcessedUpdates.Add(new ProcessedUpdate { UpdateId = id, ProcessedAt = DateTimeOffset.UtcNow.AddDays(-1) });
            db.OutboxMessages.Add(Post("Question 1: results"));
            await db.SaveChangesAsync();
            return database;
        }

        public ValueTask DisposeAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
            return ValueTask.CompletedTask;
        }
    }
}
