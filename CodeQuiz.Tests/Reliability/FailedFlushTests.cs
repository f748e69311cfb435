using System.Net;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The disk fails to flush the write-ahead log once (an I/O error from a failing volume), and what that flush held never
/// reaches it. Every update the webhook acknowledged must survive a crash, and a restart must start from a sound log.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class FailedFlushTests : IAsyncLifetime
{
    const string Secret = "flush-secret";
    readonly CodeQuizFactory _factory = new();
    readonly FailingDisk _disk = new();
    readonly string _image = Directory.CreateTempSubdirectory("codequiz-crash-image-").FullName;

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _factory.ConfigureServices = services => services.Replace(ServiceDescriptor.Singleton<WalDisk>(_disk));
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_image, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task AfterAFailedFlushNothingMoreIsAcknowledgedUntilARestart()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q7flushaaa", "42"));
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var client = _factory.CreateClient();
        var telegram = new TelegramUpdates(client, Secret);
        var stored = telegram.Text(1, "/start Q7flushaaa", "P1");
        await telegram.PostAsync(stored);

        _disk.FailNextFlush();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await telegram.TryPostAsync(telegram.Text(1, "42", "P1"))).StatusCode);

        // The log on disk may have a hole: what comes after it would be lost in a crash, so it is not acknowledged.
        foreach (var (from, text) in new[] { (2L, "/start Q7flushaaa"), (2L, "42"), (1L, "42") })
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await telegram.TryPostAsync(telegram.Text(from, text, $"P{from}"))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);
        await using var copy = new SqliteConnection($"Data Source={await CrashImageAsync()};Pooling=False");
        await copy.OpenAsync();
        Assert.Contains(stored.Id, await ReadAsync(copy, "SELECT UpdateId FROM ProcessedUpdates"));
    }

    [Fact]
    public async Task TheSenderToldNotStoredByAFailedFlushFindsHealthzSayingSoAtOnce()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q7flushccc", "42"));
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var client = _factory.CreateClient();
        var telegram = new TelegramUpdates(client, Secret);
        await telegram.PostAsync(telegram.Text(1, "/start Q7flushccc", "P1"));

        _disk.FailNextFlush();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await telegram.TryPostAsync(telegram.Text(1, "42", "P1"))).StatusCode);

        // Asked before anything else is sent: the writer's own next batch or idle wake would tell it only later.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);
        Assert.NotNull(_factory.Services.GetRequiredService<LiveStats>().Storage.Current);
    }

    [Fact]
    public async Task AFlushThatFailsWhileTheNextBatchIsWrittenStaysRaisedAfterThatBatchCommits()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q7flushddd", "42"));
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var client = _factory.CreateClient();
        var telegram = new TelegramUpdates(client, Secret);
        await telegram.PostAsync(telegram.Text(1, "/start Q7flushddd", "P1"));

        // The first answer's flush waits; meanwhile the writer takes the second update and waits for the write lock with it.
        var (flushing, release) = _disk.FailNextFlushOnceReleased();
        var first = telegram.TryPostAsync(telegram.Text(1, "42", "P1"));
        await flushing.WaitAsync(TimeSpan.FromSeconds(15));
        await using var writeLock = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await writeLock.OpenAsync();
        await using (var begin = writeLock.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        var second = telegram.TryPostAsync(telegram.Text(2, "/start Q7flushddd", "P2"));
        var queue = _factory.Services.GetRequiredService<IngestQueue>();
        var until = DateTime.UtcNow.AddSeconds(15);
        while (queue.Count > 0 && DateTime.UtcNow < until)
            await Task.Delay(20);
        await Task.Delay(300); // past its check of the log, waiting for the lock

        release(); // the flush fails while the second batch is being written
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await first).StatusCode);
        await using (var rollback = writeLock.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await second).StatusCode);

        // The second batch committed to the log, but no later flush can be trusted: the trouble is not over.
        Assert.NotNull(_factory.Services.GetRequiredService<LiveStats>().Storage.Current);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ARestartPutsTheLogInTheDatabaseFileBeforeItTakesUpdates()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q7flushbbb", "42"));
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret);
        var acknowledged = new List<long>();
        foreach (var (from, text) in new[] { (1L, "/start Q7flushbbb"), (1L, "42"), (2L, "/start Q7flushbbb") })
        {
            var update = telegram.Text(from, text, $"P{from}");
            await telegram.PostAsync(update);
            acknowledged.Add(update.Id);
        }
        _disk.FailNextFlush();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await telegram.TryPostAsync(telegram.Text(2, "42", "P2"))).StatusCode);
        var image = await CrashImageAsync();

        // Started again on what the disk holds: the log, gap and all, goes into the database file before any update.
        await using var restarted = new CodeQuizFactory();
        restarted.Settings["Telegram:SecretToken"] = Secret;
        File.Copy(image, restarted.DatabasePath);
        File.Copy(image + "-wal", restarted.DatabasePath + "-wal");
        var again = new TelegramUpdates(restarted.CreateClient(), Secret);
        var answer = again.Text(2, "42", "P2");
        await again.PostAsync(answer);

        var fileOnly = Path.Combine(_image, "file-only.db");
        await using (var writeLock = new SqliteConnection($"Data Source={restarted.DatabasePath};Pooling=False"))
        {
            await writeLock.OpenAsync();
            await using (var begin = writeLock.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }
            File.WriteAllBytes(fileOnly, ReadShared(restarted.DatabasePath)); // the database file without its log
        }
        await using var copy = new SqliteConnection($"Data Source={fileOnly};Pooling=False");
        await copy.OpenAsync();
        var inFile = await ReadAsync(copy, "SELECT UpdateId FROM ProcessedUpdates");
        Assert.All(acknowledged, id => Assert.Contains(id, inFile));
    }

    static async Task<List<long>> ReadAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<long>();
        while (await reader.ReadAsync())
            values.Add(reader.GetInt64(0));
        return values;
    }

    /// <summary>Copies the database and its log as the disk holds them, while no one may write.</summary>
    async Task<string> CrashImageAsync()
    {
        await using var writeLock = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await writeLock.OpenAsync();
        await using (var begin = writeLock.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        var image = Path.Combine(_image, "codequiz.db");
        File.WriteAllBytes(image, ReadShared(_factory.DatabasePath));
        File.WriteAllBytes(image + "-wal", _disk.AsOnDisk(ReadShared(_factory.DatabasePath + "-wal")));
        await using (var rollback = writeLock.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        return image;
    }

    static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// A disk that fails one flush as Linux does: the error is reported once, and what that flush should have written
    /// is never written, while later flushes succeed.
    /// </summary>
    sealed class FailingDisk : WalDisk
    {
        readonly Lock _lock = new();
        long _durable; // the log's length when the last flush that succeeded began
        bool _failNext;
        (TaskCompletionSource Flushing, ManualResetEventSlim Release)? _gate;
        (long From, long To, byte[] Salt)? _lost;

        public void FailNextFlush()
        {
            lock (_lock) _failNext = true;
        }

        /// <summary>The next flush says it began, then waits for <c>Release</c> before it fails.</summary>
        public (Task Flushing, Action Release) FailNextFlushOnceReleased()
        {
            var gate = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new ManualResetEventSlim());
            lock (_lock) (_failNext, _gate) = (true, gate);
            return (gate.Item1.Task, gate.Item2.Set);
        }

        public override void Flush(FileStream log)
        {
            (TaskCompletionSource Flushing, ManualResetEventSlim Release)? gate;
            lock (_lock) (gate, _gate) = (_failNext ? _gate : null, _failNext ? null : _gate);
            if (gate is var (flushing, release))
            {
                flushing.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(30));
            }
            lock (_lock)
            {
                var length = log.Length;
                if (_failNext)
                {
                    _failNext = false;
                    _lost = (_durable, length, Salt(ReadShared(log.Name)));
                    throw new IOException("Input/output error");
                }
                base.Flush(log);
                _durable = length;
            }
        }

        /// <summary>The log with the lost bytes zeroed, unless the log has started over since (SQLite gives it new salts then).</summary>
        public byte[] AsOnDisk(byte[] log)
        {
            lock (_lock)
            {
                Assert.NotNull(_lost); // the test's failure did happen
                var (from, to, salt) = _lost.Value;
                if (log.Length >= 32 && Salt(log).AsSpan().SequenceEqual(salt))
                    log.AsSpan((int)from, (int)(Math.Min(to, log.Length) - from)).Clear();
                return log;
            }
        }

        static byte[] Salt(byte[] log) => log.Length >= 24 ? log[16..24] : [];
    }
}
