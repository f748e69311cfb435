using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// Group commit for SQLite in WAL mode. The batch writer commits with synchronous=NORMAL — the batch reaches the
/// write-ahead log without waiting for the disk — and hands the batch's completions here. A thread of its own
/// then flushes the log to disk once for every batch committed so far and only after that answers their requests.
/// The writer meanwhile decides and writes the next batch, so the flush (milliseconds on a virtual disk) no longer
/// sits between two batches, and an acknowledged update is still on disk, as with synchronous=FULL.
/// </summary>
/// <remarks>
/// <para>
/// SQLite copies the log into the database file every thousand pages (a checkpoint, which ends with an fsync(2) of the
/// database file: about 2 ms here, 13–14 times a second under a crowd's load). On its own it does that inside the commit that
/// crosses the mark, so the batch committing waited for the database file's flush before its own, and every request
/// waited with it. The writer's connection checkpoints here instead (<see cref="CheckpointIfDue"/>), after the batch is
/// handed over: the batch is flushed and answered meanwhile, and the next batch waits, as before.
/// </para>
/// <para>
/// A failed flush leaves a hole in the log on disk: the kernel reports a failed write-back once (to each open file) and
/// then counts those pages as written, so a later flush that succeeds does not put them on disk, and SQLite's recovery
/// after a crash stops at the hole, losing every batch after it. Nothing in this process can be trusted to mend that:
/// SQLite's own checkpoint meets the same error once and then goes on from where it thinks it was. So from a failed
/// flush on, every batch is refused (Telegram sends the updates again) until CodeQuiz is restarted, and at every start,
/// before any update is taken, <see cref="TryStartAsync"/> copies the whole log into the database file and syncs it
/// (a TRUNCATE checkpoint, which also starts the log afresh), so a hole left in the log cannot swallow what comes after.
/// </para>
/// </remarks>
internal sealed partial class GroupCommit : IDisposable
{
    /// <summary>What the write-ahead log is cut back to when it starts afresh.</summary>
    public const long KeptLogBytes = 16 * 1024 * 1024;

    /// <summary>Pages written between two checkpoints: SQLite's own default (wal_autocheckpoint).</summary>
    public const int CheckpointPages = 1000;

    readonly SqliteConnection _connection;
    int _pagesSinceCheckpoint;
    readonly FileStream _log;
    readonly WalDisk _disk;
    readonly ILogger _logger;
    readonly Action? _onFailed;
    readonly Lock _lock = new();
    readonly AutoResetEvent _signal = new(false); // blocks without spinning: a spinning waiter takes a core from the writer
    readonly Thread _thread;
    List<CommittedBatch> _pending = [];
    bool _stopping;
    volatile bool _failed;

    readonly record struct CommittedBatch(List<Action> Completions, IngestItem[] Items, TaskCompletionSource? Flushed = null);

    GroupCommit(SqliteConnection connection, FileStream log, WalDisk disk, ILogger logger, Action? onFailed)
    {
        _connection = connection;
        _log = log;
        _disk = disk;
        _logger = logger;
        _onFailed = onFailed;
        _thread = new Thread(FlushLoop) { IsBackground = true, Name = "CodeQuiz WAL flush" };
        _thread.Start();
    }

    /// <summary>
    /// Switches the writer's connection to group commit when it is a SQLite file in WAL mode; null otherwise
    /// (SQL Server, or a SQLite database without a write-ahead log), and the writer then completes after each commit.
    /// <paramref name="onFailed"/> is told of a failed flush before any of its batches is answered.
    /// </summary>
    public static async Task<GroupCommit?> TryStartAsync(DbConnection connection, WalDisk disk, ILogger logger, CancellationToken cancellationToken,
        Action? onFailed = null)
    {
        if (connection is not SqliteConnection sqlite || string.IsNullOrEmpty(sqlite.DataSource))
            return null;
        await using (var mode = sqlite.CreateCommand())
        {
            mode.CommandText = "PRAGMA journal_mode";
            if (!string.Equals(await mode.ExecuteScalarAsync(cancellationToken) as string, "wal", StringComparison.OrdinalIgnoreCase))
                return null;
        }
        var walPath = sqlite.DataSource + "-wal";
        if (!File.Exists(walPath))
            return null;
        await CheckpointAsync(sqlite, cancellationToken);
        // Written only by SQLite; opened for writing because fsync(2) is only issued for a writable stream.
        var log = new FileStream(walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        await using (var normal = sqlite.CreateCommand())
        {
            // When the log starts afresh it is cut back to 16 MB: one that grew while another program held the database
            // open does not keep its size, and its size says again whether the log is being copied into the database file.
            // No checkpoint inside a commit: CheckpointIfDue runs it once the batch is handed over.
            normal.CommandText = $"PRAGMA journal_size_limit={KeptLogBytes}; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0";
            await normal.ExecuteNonQueryAsync(cancellationToken);
        }
        return new GroupCommit(sqlite, log, disk, logger, onFailed);
    }

    /// <summary>
    /// Copies the whole log into the database file, syncs it and empties the log. Run at start, before the first batch:
    /// whatever SQLite recovers from the log the last run left (a failed flush's frames too, as far as the kernel still
    /// holds them) is then in the database file, synced, and the log starts afresh. Throws when SQLite cannot finish it,
    /// and the app does not start.
    /// </summary>
    static async Task CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await using var result = await command.ExecuteReaderAsync(cancellationToken);
        if (!await result.ReadAsync(cancellationToken) || result.GetInt64(0) != 0 || result.GetInt64(1) != result.GetInt64(2))
            throw new SqliteException("The write-ahead log could not be copied into the database file at start: another process holds the database.", 5 /* SQLITE_BUSY */);
    }

    /// <summary>True from a failed flush on: every batch is then answered "not stored" until the app is restarted.</summary>
    public bool HasFailed => _failed;

    /// <summary>Takes a committed batch: its completions run once the log holding it is on disk.</summary>
    public void Committed(List<Action> completions, IReadOnlyList<IngestItem> items)
    {
        lock (_lock) _pending.Add(new CommittedBatch(completions, [.. items]));
        _signal.Set();
    }

    /// <summary>
    /// Copies the log into the database file once the writer's connection has written a thousand pages to it since the last
    /// time; called by the writer after each batch is handed over. A passive checkpoint, as SQLite's own: it copies what no
    /// reader still needs, and a reader left open (see <c>BatchWriter.WatchLogAsync</c>) only delays the rest. Another
    /// program's checkpoint under way (busy) leaves the copy to it; an error is logged and otherwise let pass, as SQLite lets
    /// it pass in its own checkpoints: the commits are unaffected, and the next thousand pages try again.
    /// </summary>
    public void CheckpointIfDue()
    {
        var db = _connection.Handle;
        if (_failed || db is null || raw.sqlite3_db_status(db, raw.SQLITE_DBSTATUS_CACHE_WRITE, out var written, out _, 1) != raw.SQLITE_OK)
            return;
        _pagesSinceCheckpoint += written;
        if (_pagesSinceCheckpoint < CheckpointPages)
            return;
        _pagesSinceCheckpoint = 0;
        if (raw.sqlite3_exec(db, "PRAGMA wal_checkpoint(PASSIVE)") is var rc && rc is not (raw.SQLITE_OK or raw.SQLITE_BUSY))
            LogCheckpointFailed(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
    }

    /// <summary>Completes once the log is flushed after this call: everything committed before it is then on disk.</summary>
    public Task FlushedAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_failed) return Task.FromException(new LogNotDurableException());
            if (_stopping) return Task.FromException(new LogNotDurableException("The batch writer has stopped: nothing more is flushed."));
            _pending.Add(new CommittedBatch([], [], flushed));
        }
        try
        {
            _signal.Set();
        }
        catch (ObjectDisposedException)
        {
            // Stopped in the meantime: the last flush before the stop took this request with the rest.
        }
        return flushed.Task;
    }

    void FlushLoop()
    {
        var stopping = false;
        while (true)
        {
            if (!stopping) _signal.WaitOne();
            List<CommittedBatch> batches;
            lock (_lock)
            {
                batches = _pending;
                _pending = [];
                stopping = _stopping;
            }
            if (batches.Count == 0)
            {
                if (stopping) return;
                continue;
            }

            Exception? failure = null;
            try
            {
                _disk.Flush(_log);
            }
            catch (Exception e)
            {
                failure = e;
                _failed = true;
                _onFailed?.Invoke(); // a sender answered "not stored" who asks /healthz next reads it too
            }

            var failed = failure is not null || _failed;
            foreach (var batch in batches)
            {
                if (!failed)
                {
                    foreach (var complete in batch.Completions) complete();
                    batch.Flushed?.TrySetResult();
                }
                else
                {
                    // Not known to be on disk: answer "not stored" (Telegram sends it again; a repeat is harmless).
                    Exception error = failure is null
                        ? new LogNotDurableException()
                        : new SqliteException($"Flushing the write-ahead log to disk failed: {failure.Message}", 10 /* SQLITE_IOERR */);
                    foreach (var item in batch.Items) item.Fail(error);
                    batch.Flushed?.TrySetException(new LogNotDurableException());
                }
            }
            if (failure is not null)
                LogFlushFailed(failure, batches.Sum(b => b.Items.Length));
        }
    }

    /// <summary>Flushes and answers what is still waiting, then stops.</summary>
    public void Dispose()
    {
        lock (_lock) _stopping = true;
        _signal.Set();
        _thread.Join();
        _log.Dispose();
        _signal.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Copying the write-ahead log into the database file failed ({Code}: {Message}); it is tried again after the next thousand pages")]
    partial void LogCheckpointFailed(string message, int code);

    [LoggerMessage(LogLevel.Critical, "Flushing the write-ahead log to disk failed; {Count} updates were answered as not stored, and every update is until CodeQuiz is restarted")]
    partial void LogFlushFailed(Exception e, int count);
}

/// <summary>A flush of the write-ahead log failed earlier: nothing is acknowledged until the app is restarted.</summary>
public sealed class LogNotDurableException(string message) : IOException(message)
{
    public LogNotDurableException() : this(
        "Flushing the database's write-ahead log to disk failed: restart CodeQuiz. Until then no update is stored (Telegram keeps sending them).")
    {
    }
}
