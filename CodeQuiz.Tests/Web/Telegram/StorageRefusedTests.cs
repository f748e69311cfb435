using System.Net;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CodeQuiz.Tests.Web.Telegram;

/// <summary>The database refuses every write for a while (a full disk, a failing volume), then takes them again.</summary>
public class StorageRefusedTests : IAsyncLifetime
{
    const string Secret = "storage-secret";
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 15, 18, 0, 0, TimeSpan.Zero));
    readonly CapturingLoggerProvider _logs = new();
    readonly CodeQuizFactory _factory = new();

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _factory.ConfigureServices = services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
            services.AddLogging(b => b.AddProvider(_logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
        };
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task TheWriterTriesAgainAtAPaceAndCatchesUpOnceStorageTakesWritesAgain()
    {
        var timed = Seed.FreeText("Q9aaaaaaaa", "go");
        timed.TimeLimitSeconds = 30;
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", timed);
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        await telegram.SendAsync(71, "/start Q9aaaaaaaa", "Ada");

        await RefuseWritesAsync(true);
        int Failures() => _logs.Entries.Count(e => e.Text.Contains("failed to commit"));
        var before = Failures();
        _time.Advance(TimeSpan.FromSeconds(40)); // the question's time ran out: its close cannot be written
        var refused = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => telegram.TryPostAsync(telegram.Text(100 + i, "/start", $"P{i}"))));
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Refused (Telegram sends them again), and tried again every few hundred milliseconds rather than flat out.
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        var failures = Failures() - before;
        Assert.True(failures is > 0 and < 20, $"{failures} failed batches in about 3 s");

        await RefuseWritesAsync(false);
        await WaitUntilAsync(async db => await db.Questions.Where(q => q.Id == questions[0].Id).Select(q => q.State).SingleAsync() == QuestionState.Closed);
        Assert.Equal(HttpStatusCode.OK, (await telegram.TryPostAsync(telegram.Text(72, "/start", "Bruno"))).StatusCode);
    }

    [Fact]
    public async Task StorageThatStopsTakingWritesHalfWayThroughAFailedBatchIsNotTriedOnceForEachUpdateLeft()
    {
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        await telegram.SendAsync(70, "/start", "Ada"); // the writer is up

        // The writer is held while twelve updates queue up; then the disk fills after the first of them is stored.
        await using var holder = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await using (var hold = holder.CreateCommand())
        {
            hold.CommandText = $"CREATE TRIGGER full_disk BEFORE INSERT ON ProcessedUpdates WHEN (SELECT COUNT(*) FROM ProcessedUpdates) > " +
                               $"{await CountProcessedAsync(holder)} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END; BEGIN IMMEDIATE;";
            await hold.ExecuteNonQueryAsync();
        }
        var queue = _factory.Services.GetRequiredService<CodeQuiz.Core.Ingest.IngestQueue>();
        var held = _factory.Services.GetRequiredService<IQuizLifecycle>().LeaveOutAsync(999_999, leaveOut: false);
        var until = DateTime.UtcNow.AddSeconds(15);
        while (queue.Count > 0 && DateTime.UtcNow < until)
            await Task.Delay(20);
        var updates = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < 12; i++)
        {
            updates.Add(telegram.TryPostAsync(telegram.Text(200 + i, "/start", $"P{i}")));
            while (queue.Count < updates.Count && DateTime.UtcNow < until)
                await Task.Delay(20);
        }
        Assert.Equal(12, queue.Count);
        await using (var release = holder.CreateCommand())
        {
            release.CommandText = "ROLLBACK;";
            await release.ExecuteNonQueryAsync();
        }
        var answered = await Task.WhenAll(updates);
        await held;

        // The first is stored; after three more fail alone, the rest are refused at once (Telegram sends them again),
        // not each tried and followed by a reading of the whole quiz state.
        Assert.Equal(HttpStatusCode.OK, answered[0].StatusCode);
        Assert.All(answered.Skip(1), r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        // Each update written alone that fails is logged, with the failure to keep it as a dead letter: three updates, not eleven.
        var alone = _logs.Entries.Count(e => e.Text.StartsWith("A batch of 1 items failed", StringComparison.Ordinal));
        Assert.InRange(alone, 3, 2 * 3);
        await RefuseWritesAsync(false, "DROP TRIGGER full_disk;");
        Assert.Equal(HttpStatusCode.OK, (await telegram.TryPostAsync(telegram.Text(201, "/start", "P1"))).StatusCode);
    }

    static async Task<long> CountProcessedAsync(SqliteConnection connection)
    {
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM ProcessedUpdates";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    async Task RefuseWritesAsync(bool refuse, string? sql = null)
    {
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = refuse
            ? """
              CREATE TRIGGER refuse_updates BEFORE INSERT ON ProcessedUpdates BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
              CREATE TRIGGER refuse_closes BEFORE UPDATE ON Questions BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
              """
            : sql ?? "DROP TRIGGER refuse_updates; DROP TRIGGER refuse_closes;";
        await command.ExecuteNonQueryAsync();
    }

    async Task WaitUntilAsync(Func<QuizDbContext, Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using (var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
                if (await condition(db))
                    return;
            Assert.True(DateTime.UtcNow < until, "the writer did not catch up once storage took writes again");
            await Task.Delay(100);
        }
    }
}
