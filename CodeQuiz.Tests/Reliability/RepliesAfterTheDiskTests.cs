using System.Net;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The writer's batch is readable by other connections a moment before the write-ahead log holding it is on disk. The
/// outbox reads from such a connection: it must not send a reply, or a channel post, that a power cut could take back.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class RepliesAfterTheDiskTests : IAsyncLifetime
{
    const string Secret = "disk-secret";
    readonly CodeQuizFactory _factory = new();
    readonly SlowDisk _disk = new();
    HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _factory.Settings["Outbox:PerChatIntervalSeconds"] = "0";
        _factory.ConfigureServices = services => services.Replace(ServiceDescriptor.Singleton<WalDisk>(_disk));
        // On a real port: the rehearsal's Telegram is reached over HTTP, as the real one is.
        _client = new HttpClient { BaseAddress = new Uri(_factory.StartOnKestrel()) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _disk.Release();
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task AReplyWaitsUntilItsUpdateIsOnDisk()
    {
        var telegram = new TelegramUpdates(_client, Secret);
        var simulator = Simulator();
        await telegram.PostAsync(telegram.Text(1, "/help", "P1"));
        await simulator.WaitUntilAsync(() => simulator.BotMessages(1).Count == 1, TimeSpan.FromSeconds(30));

        _disk.Hold();
        var update = telegram.Text(2, "/help", "P2");
        var posted = telegram.TryPostAsync(update);
        await UntilAsync(async db => await db.OutboxMessages.AnyAsync(m => m.ChatId == "2"), "the reply was not committed");

        // Committed, readable, but not on disk: neither the 200 nor the reply goes out, however long the flush takes.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(posted.IsCompleted, "the update was acknowledged before it was on disk");
        Assert.Empty(simulator.BotMessages(2));

        _disk.Release();
        Assert.Equal(HttpStatusCode.OK, (await posted).StatusCode);
        await simulator.WaitUntilAsync(() => simulator.BotMessages(2).Count == 1, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task NothingIsSentForABatchWhoseFlushFailed()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q7diskaaaa", "42"));
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var telegram = new TelegramUpdates(_client, Secret);
        var simulator = Simulator();
        await telegram.PostAsync(telegram.Text(1, "/start Q7diskaaaa", "P1"));
        await simulator.WaitUntilAsync(() => simulator.BotMessages(1).Count == 1, TimeSpan.FromSeconds(30));

        // The answer's batch is committed, then its flush fails: Telegram hears "not stored" and will send it again,
        // so the participant must not be told it was received.
        _disk.FailNext = true;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await telegram.TryPostAsync(telegram.Text(1, "42", "P1"))).StatusCode);
        await UntilAsync(async db => await db.OutboxMessages.CountAsync(m => m.ChatId == "1") == 2, "the acknowledgement was not committed");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(simulator.BotMessages(1));
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.ChatId == "1" && m.Status == OutboxStatus.Pending));
    }

    /// <summary>The rehearsal's Telegram, which knows the two participants the updates come from.</summary>
    TelegramSimulator Simulator()
    {
        var simulator = _factory.Services.GetRequiredService<TelegramSimulator>();
        simulator.RememberUsers([new SimUser(1, "P1"), new SimUser(2, "P2")]);
        return simulator;
    }

    async Task UntilAsync(Func<QuizDbContext, Task<bool>> condition, string failure)
    {
        var dbFactory = _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var db = await dbFactory.CreateDbContextAsync())
                if (await condition(db)) return;
            Assert.True(DateTime.UtcNow < until, failure);
            await Task.Delay(20);
        }
    }

    /// <summary>A disk whose flushes of the write-ahead log can be held back, or fail once.</summary>
    sealed class SlowDisk : WalDisk
    {
        readonly ManualResetEventSlim _open = new(true);
        public volatile bool FailNext;

        public void Hold() => _open.Reset();

        public void Release() => _open.Set();

        public override void Flush(FileStream log)
        {
            _open.Wait();
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("Input/output error");
            }
            base.Flush(log);
        }
    }
}
