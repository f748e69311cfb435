using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace CodeQuiz.Core.Persistence;

/// <summary>
/// Lets SQLite itself wait for the write lock, in steps of a millisecond or a few, when another connection holds it
/// (the outbox sender marking messages sent, an organizer saving a question). Without it Microsoft.Data.Sqlite retries
/// a busy statement after sleeping 150 ms: the batch writer stalled that long about once a second under load.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    /// <summary>As long as Microsoft.Data.Sqlite's own default command timeout.</summary>
    public const int Milliseconds = 30_000;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    public static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
            raw.sqlite3_busy_timeout(handle, Milliseconds);
    }
}
