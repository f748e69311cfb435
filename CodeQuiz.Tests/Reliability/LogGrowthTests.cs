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
public class LogGrowthTests : IAsyncLifetime
{
    const string Secret = "log-secret";
    readonly CodeQuizFactory _factory = new();
    TelegramUpdates _telegram = null!;
    LiveStats _live = null!;
    long _next;

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _factory.Settings["Ingest:LogWarningMegabytes"] = "1";
        _telegram = new TelegramUpdates(_factory.CreateClient(), Secret);
        _live = _factory.Services.GetRequiredService<LiveStats>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>Participants ask for help, eight at a time: each update writes a processed id, a participant and a reply.</summary>
    Task AnswerAsync(int count) => Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
    {
        for (var i = 0; i < count / 8; i++)
        {
            var from = Interlocked.Increment(ref _next);
            await _telegram.PostAsync(_telegram.Text(from, "/help", $"P{from}"));
        }
    }));

    /// <summary>A read transaction left open, as a database browser leaves it; then answers until the console warns.</summary>
    async Task<SqliteConnection> HoldUntilReportedAsync()
    {
        var browser = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await browser.OpenAsync();
        await using (var query = browser.CreateCommand())
        {
            query.CommandText = "BEGIN; SELECT COUNT(*) FROM ProcessedUpdates;";
            await query.ExecuteScalarAsync();
        }
        var until = DateTime.UtcNow.AddSeconds(40);
        while (_live.LogGrowth.Current is null)
        {
            Assert.True(DateTime.UtcNow < until, "a log that could not be copied was not reported");
            await AnswerAsync(400);
        }
        return browser;
    }

    [Fact]
    public async Task ALogHeldOpenByAnotherProgramIsReportedWhileItGrowsAndNoLonger()
    {
        // Past the warning size with nobody holding the database: the log is copied as it goes, so nothing is said.
        await AnswerAsync(800);
        await Task.Delay(TimeSpan.FromSeconds(11));
        await AnswerAsync(80);
        Assert.Null(_live.LogGrowth.Current);

        await using var browser = await HoldUntilReportedAsync();
        Assert.EndsWith("MB", _live.LogGrowth.Current!.LastError);
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync("/healthz")).StatusCode); // answers are still stored

        await using (var commit = browser.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }
        var until = DateTime.UtcNow.AddSeconds(30);
        while (_live.LogGrowth.Current is not null)
        {
            Assert.True(DateTime.UtcNow < until, "the warning stayed after the other program let go");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task ACheckpointRunningElsewhereDoesNotTakeTheWarningAwayWhileTheLogIsStillHeld()
    {
        await AnswerAsync(80);
        await using var browser = await HoldUntilReportedAsync();
        var since = _live.LogGrowth.Current!.Since;

        // Another program checkpoints too (a database tool's "checkpoint" button): while it waits for the browser's read,
        // the log is no more copied than before, and the warning must not go, nor start again later with a new "since".
        await using var tool = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await tool.OpenAsync();
        await using var checkpoint = tool.CreateCommand();
        checkpoint.CommandText = "PRAGMA busy_timeout = 9000; PRAGMA wal_checkpoint(FULL);";
        var waiting = checkpoint.ExecuteNonQueryAsync();
        var watchUntil = DateTime.UtcNow.AddSeconds(7); // longer than a check's interval
        while (DateTime.UtcNow < watchUntil)
        {
            Assert.Equal(since, _live.LogGrowth.Current?.Since);
            await Task.Delay(100);
        }
        await waiting;
    }
}
