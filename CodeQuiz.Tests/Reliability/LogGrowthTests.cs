using System.Net;
using CodeQuiz.Core.Live;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// Another program holds the database open (a database browser left on a query): SQLite cannot copy its write-ahead log
/// into the database file, and the log grows with every answer. The console must say so, and stop saying so once the
/// program lets go.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class LogGrowthTests
{
    const string Secret = "log-secret";

    [Fact]
    public async Task ALogHeldOpenByAnotherProgramIsReportedWhileItGrowsAndNoLonger()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:SecretToken"] = Secret;
        factory.Settings["Ingest:LogWarningMegabytes"] = "1";
        var telegram = new TelegramUpdates(factory.CreateClient(), Secret);
        var live = factory.Services.GetRequiredService<LiveStats>();
        var next = 0L;
        async Task AnswerAsync(int count) => await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < count / 8; i++)
            {
                var from = Interlocked.Increment(ref next);
                await telegram.PostAsync(telegram.Text(from, "/help", $"P{from}"));
            }
        }));

        // Past the warning size with nobody holding the database: the log is copied as it goes, so nothing is said.
        await AnswerAsync(800);
        await Task.Delay(TimeSpan.FromSeconds(11));
        await AnswerAsync(80);
        Assert.Null(live.LogGrowth.Current);

        await using var browser = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        await browser.OpenAsync();
        await using (var query = browser.CreateCommand())
        {
            query.CommandText = "BEGIN; SELECT COUNT(*) FROM ProcessedUpdates;";
            await query.ExecuteScalarAsync(); // a read transaction left open, as a database browser leaves it
        }
        var until = DateTime.UtcNow.AddSeconds(40);
        while (live.LogGrowth.Current is null)
        {
            Assert.True(DateTime.UtcNow < until, "a log that could not be copied was not reported");
            await AnswerAsync(400);
        }
        Assert.EndsWith("MB", live.LogGrowth.Current!.LastError);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode); // answers are still stored

        await using (var commit = browser.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }
        until = DateTime.UtcNow.AddSeconds(30);
        while (live.LogGrowth.Current is not null)
        {
            Assert.True(DateTime.UtcNow < until, "the warning stayed after the other program let go");
            await Task.Delay(200);
        }
    }
    [Fact]
    public async Task ACheckpointRunningElsewhereDoesNotTakeTheWarningAwayWhileTheLogIsStillHeld()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:SecretToken"] = Secret;
        factory.Settings["Ingest:LogWarningMegabytes"] = "1";
        var telegram = new TelegramUpdates(factory.CreateClient(), Secret);
        var live = factory.Services.GetRequiredService<LiveStats>();
        var next = 0L;
        async Task AnswerAsync(int count) => await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < count / 8; i++)
            {
                var from = Interlocked.Increment(ref next);
                await telegram.PostAsync(telegram.Text(from, "/help", $"P{from}"));
            }
        }));
        await AnswerAsync(80);

        await using var browser = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        await browser.OpenAsync();
        await using (var query = browser.CreateCommand())
        {
            query.CommandText = "BEGIN; SELECT COUNT(*) FROM ProcessedUpdates;";
            await query.ExecuteScalarAsync();
        }
        var until = DateTime.UtcNow.AddSeconds(40);
        while (live.LogGrowth.Current is null)
        {
            Assert.True(DateTime.UtcNow < until, "a log that could not be copied was not reported");
            await AnswerAsync(400);
        }
        var since = live.LogGrowth.Current!.Since;

        // Another program checkpoints too (a database tool's "checkpoint" button): while it waits for the browser's read,
        // the log is no more copied than before, and the warning must not go, nor start again later with a new "since".
        await using var tool = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        await tool.OpenAsync();
        await using var checkpoint = tool.CreateCommand();
        checkpoint.CommandText = "PRAGMA busy_timeout = 9000; PRAGMA wal_checkpoint(FULL);";
        var waiting = checkpoint.ExecuteNonQueryAsync();
        var watchUntil = DateTime.UtcNow.AddSeconds(7); // longer than a check's interval
        while (DateTime.UtcNow < watchUntil)
        {
            Assert.Equal(since, live.LogGrowth.Current?.Since);
            await Task.Delay(100);
        }
        await waiting;
    }
}
