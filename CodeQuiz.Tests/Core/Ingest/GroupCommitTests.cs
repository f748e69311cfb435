using CodeQuiz.Core.Ingest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeQuiz.Tests.Core.Ingest;

public sealed class GroupCommitTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("codequiz-groupcommit-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    async Task<SqliteConnection> OpenAsync(string journalMode)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "quiz.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode={journalMode}; CREATE TABLE IF NOT EXISTS T (X INTEGER); INSERT INTO T VALUES (1);";
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    static async Task<long> SynchronousAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task AWalDatabaseCommitsWithoutWaitingForTheDiskAndAnswersAfterTheFlush()
    {
        await using var connection = await OpenAsync("wal");

        var groupCommit = await GroupCommit.TryStartAsync(connection, new WalDisk(), NullLogger.Instance, CancellationToken.None);

        Assert.NotNull(groupCommit);
        Assert.Equal(1, await SynchronousAsync(connection)); // NORMAL: the flush thread makes commits durable
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var item = new UpdateItem(new global::Telegram.Bot.Types.Update { Id = 1 }, DateTimeOffset.UtcNow);
        groupCommit.Committed([() => answered.TrySetResult()], [item]);
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        groupCommit.Dispose();
    }

    [Fact]
    public async Task StoppingAnswersEveryBatchStillWaitingForItsFlush()
    {
        await using var connection = await OpenAsync("wal");
        var groupCommit = (await GroupCommit.TryStartAsync(connection, new WalDisk(), NullLogger.Instance, CancellationToken.None))!;
        var answered = 0;
        for (var i = 0; i < 50; i++)
            groupCommit.Committed([() => Interlocked.Increment(ref answered)], []);

        groupCommit.Dispose();

        Assert.Equal(50, answered);
    }

    [Fact]
    public async Task AReaderWaitingForTheDiskIsAnsweredByTheNextFlushAndNotLeftWaitingOnceItStops()
    {
        await using var connection = await OpenAsync("wal");
        var groupCommit = (await GroupCommit.TryStartAsync(connection, new WalDisk(), NullLogger.Instance, CancellationToken.None))!;

        await groupCommit.FlushedAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = groupCommit.FlushedAsync();
        groupCommit.Dispose();

        await waiting.WaitAsync(TimeSpan.FromSeconds(10)); // asked before the stop: flushed by it
        await Assert.ThrowsAsync<LogNotDurableException>(groupCommit.FlushedAsync);
    }

    /// <summary>Commits of a row the size of a page each, one at a time, as batches commit.</summary>
    static async Task WritePagesAsync(SqliteConnection connection, int commits)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS Pages (B BLOB)";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "INSERT INTO Pages VALUES (zeroblob(3000))";
        for (var i = 0; i < commits; i++)
            await command.ExecuteNonQueryAsync();
    }

    static long SizeOf(string path) => new FileInfo(path).Length;

    [Fact]
    public async Task TheLogIsCopiedIntoTheDatabaseFileAfterACommitNotInsideIt()
    {
        await using var connection = await OpenAsync("wal");
        using var groupCommit = (await GroupCommit.TryStartAsync(connection, new WalDisk(), NullLogger.Instance, CancellationToken.None))!;
        var database = Path.Combine(_directory, "quiz.db");
        var before = SizeOf(database);

        // Past SQLite's thousand pages: no commit copies the log itself (only a checkpoint writes a WAL database's file).
        await WritePagesAsync(connection, 1500);
        Assert.Equal(before, SizeOf(database));

        groupCommit.CheckpointIfDue();
        var copied = SizeOf(database);
        Assert.True(copied >= before + 1500 * 4096, $"the database file grew from {before} to {copied} bytes only");

        // Fewer than a thousand pages since: not yet.
        await WritePagesAsync(connection, 200);
        groupCommit.CheckpointIfDue();
        Assert.Equal(copied, SizeOf(database));
    }

    [Fact]
    public async Task ADatabaseWithoutAWriteAheadLogKeepsCommittingToDiskItself()
    {
        await using var connection = await OpenAsync("delete");

        var groupCommit = await GroupCommit.TryStartAsync(connection, new WalDisk(), NullLogger.Instance, CancellationToken.None);

        Assert.Null(groupCommit);
        Assert.Equal(2, await SynchronousAsync(connection)); // FULL, SQLite's default, untouched
    }
}
