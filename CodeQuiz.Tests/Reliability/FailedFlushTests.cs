using System.Net;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The disk fails to flush the write-ahead log once (an I/O error from a failing volume). What was written before the
/// failure never reaches the disk, and a crash afterwards must still find every update the webhook acknowledged.
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
    public async Task UpdatesAcknowledgedAfterAFailedFlushSurviveACrash()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q7flushaaa", "42"));
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret);
        var acknowledged = new List<long>();
        async Task SendAsync(long from, string text)
        {
            var update = telegram.Text(from, text, $"P{from}");
            await telegram.PostAsync(update);
            acknowledged.Add(update.Id);
        }
        await SendAsync(1, "/start Q7flushaaa");

        _disk.FailNextFlush();
        var answer = telegram.Text(1, "42", "P1");
        var refused = await telegram.TryPostAsync(answer);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode); // not known to be on disk: Telegram sends it again

        await SendAsync(2, "/start Q7flushaaa");
        await SendAsync(2, "42");
        await SendAsync(3, "/start Q7flushaaa");
        await SendAsync(3, "41");
        await telegram.PostAsync(answer); // Telegram's repeat of the refused answer
        acknowledged.Add(answer.Id);

        // The server dies now: the database is what the disk holds, without what the failed flush should have written.
        var database = await CrashImageAsync();
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        var stored = await ReadAsync(connection, "SELECT UpdateId FROM ProcessedUpdates");
        Assert.All(acknowledged, id => Assert.Contains(id, stored));
        var answers = await ReadAsync(connection, "SELECT ParticipantId FROM Answers ORDER BY ParticipantId");
        Assert.Equal([1L, 2L, 3L], answers); // the repeated answer once
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
        (long From, long To, byte[] Salt)? _lost;

        public void FailNextFlush()
        {
            lock (_lock) _failNext = true;
        }

        public override void Flush(FileStream log)
        {
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
