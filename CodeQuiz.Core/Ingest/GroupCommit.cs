using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// Group commit for SQLite in WAL mode. The batch writer commits with synchronous=NORMAL — the batch reaches the
/// write-ahead log without waiting for the disk — and hands the batch's completions here. A thread of its own
/// then flushes the log to disk once for every batch committed so far and only after that answers their requests.
/// The writer meanwhile decides and writes the next batch, so the flush (milliseconds on a virtual disk) no longer
/// sits between two batches, and an acknowledged update is still on disk, as with synchronous=FULL.
/// </summary>
internal sealed partial class GroupCommit : IDisposable
{
    readonly FileStream _log;
    readonly ILogger _logger;
    readonly Lock _lock = new();
    readonly AutoResetEvent _signal = new(false); // blocks without spinning: a spinning waiter takes a core from the writer
    readonly Thread _thread;
    List<CommittedBatch> _pending = [];
    bool _stopping;
    volatile bool _flushFailed;

    readonly record struct CommittedBatch(List<Action> Completions, IngestItem[] Items);

    GroupCommit(FileStream log, ILogger logger)
    {
        _log = log;
        _logger = logger;
        _thread = new Thread(FlushLoop) { IsBackground = true, Name = "CodeQuiz WAL flush" };
        _thread.Start();
    }

    /// <summary>
    /// Switches the writer's connection to group commit when it is a SQLite file in WAL mode; null otherwise
    /// (SQL Server, or a SQLite database without a write-ahead log), and the writer then completes after each commit.
    /// </summary>
    public static async Task<GroupCommit?> TryStartAsync(DbConnection connection, ILogger logger, CancellationToken cancellationToken)
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
        // Written only by SQLite; opened for writing because fsync(2) is only issued for a writable stream.
        var log = new FileStream(walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        await using (var normal = sqlite.CreateCommand())
        {
            normal.CommandText = "PRAGMA synchronous=NORMAL";
            await normal.ExecuteNonQueryAsync(cancellationToken);
        }
        return new GroupCommit(log, logger);
    }

    /// <summary>True once a flush failed; the writer then reloads its state from what the database really holds.</summary>
    public bool TakeFlushFailure()
    {
        if (!_flushFailed) return false;
        _flushFailed = false;
        return true;
    }

    /// <summary>Takes a committed batch: its completions run once the log holding it is on disk.</summary>
    public void Committed(List<Action> completions, IReadOnlyList<IngestItem> items)
    {
        lock (_lock) _pending.Add(new CommittedBatch(completions, [.. items]));
        _signal.Set();
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
                _log.Flush(flushToDisk: true);
            }
            catch (Exception e)
            {
                failure = e;
            }

            foreach (var batch in batches)
            {
                if (failure is null)
                {
                    foreach (var complete in batch.Completions) complete();
                }
                else
                {
                    // Not known to be on disk: answer "not stored" (Telegram sends it again; a repeat is harmless).
                    var error = new SqliteException($"Flushing the write-ahead log to disk failed: {failure.Message}", 10 /* SQLITE_IOERR */);
                    foreach (var item in batch.Items) item.Fail(error);
                }
            }
            if (failure is not null)
            {
                _flushFailed = true;
                LogFlushFailed(failure, batches.Sum(b => b.Items.Length));
            }
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

    [LoggerMessage(LogLevel.Critical, "Flushing the write-ahead log to disk failed; {Count} updates were answered as not stored")]
    partial void LogFlushFailed(Exception e, int count);
}
