using CodeQuiz.Core.Persistence;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CodeQuiz.Tests.Core.Persistence;

/// <summary>Registering the SQLite database turns the library's memory statistics (a mutex around every allocation) off.</summary>
public sealed class SqliteLibraryTests
{
    [Fact]
    public void SqliteKeepsNoMemoryStatisticsOnceTheDatabaseIsRegistered()
    {
        // The test process registered the database first thing (SqliteLibrarySetup), as the app does before any connection.
        Assert.True(SqliteLibrary.StatisticsOff);

        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t (x TEXT); INSERT INTO t SELECT hex(randomblob(1000)) FROM (SELECT 1 UNION SELECT 2); SELECT count(*) FROM t";
        Assert.Equal(2L, command.ExecuteScalar());
        Assert.Equal(0L, raw.sqlite3_memory_used()); // counted with statistics on: the open connection holds memory
        Assert.True(SqliteLibrary.Configure()); // again: nothing changes
    }
}
