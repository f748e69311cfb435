using SQLitePCL;

namespace CodeQuiz.Core.Persistence;

/// <summary>
/// How the SQLite library runs in this process, set before its first connection opens: without memory statistics.
/// SQLite keeps them (for sqlite3_memory_used, which nothing here reads) behind a process-wide mutex taken around every
/// allocation and release; on the webhook's path that lock was about 1.3 % of the server's CPU.
/// </summary>
/// <remarks>
/// The threading mode stays serialized, SQLite's default, although every connection here is used by one thread at a
/// time: a statement an undisposed command left behind is finalized on the finalizer thread, and only the connection's
/// own mutex keeps that from racing whoever uses the connection then. Measured: that mutex costs a further 0.4 %.
/// </remarks>
public static class SqliteLibrary
{
    static readonly Lock Gate = new();
    static bool _configured;

    /// <summary>
    /// Turns the statistics off, once per process. False when the library had started already (a connection opened
    /// first): it then keeps them, which is slower and as correct.
    /// </summary>
    public static bool Configure()
    {
        lock (Gate)
        {
            if (!_configured)
            {
                Batteries_V2.Init();
                // SQLITE_MISUSE once the library is initialized: the setting is then left as it was.
                StatisticsOff = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
                _configured = true;
            }
            return StatisticsOff;
        }
    }

    /// <summary>True once <see cref="Configure"/> turned SQLite's memory statistics off.</summary>
    public static bool StatisticsOff { get; private set; }
}
