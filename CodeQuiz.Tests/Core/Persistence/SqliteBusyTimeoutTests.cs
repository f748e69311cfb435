using CodeQuiz.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Core.Persistence;

/// <summary>
/// Every connection the app opens lets SQLite wait for the write lock itself, a millisecond at a time, instead of
/// Microsoft.Data.Sqlite's 150 ms sleep between retries (which stalled the batch writer whenever the outbox sender wrote).
/// </summary>
public sealed class SqliteBusyTimeoutTests : IDisposable
{
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("codequiz-busy");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    IDbContextFactory<QuizDbContext> Factory() => new ServiceCollection()
        .AddQuizDatabase(new DatabaseOptions { ConnectionString = "Data Source=quiz.db" }, _dir.FullName)
        .BuildServiceProvider()
        .GetRequiredService<IDbContextFactory<QuizDbContext>>();

    static async Task<long> BusyTimeoutAsync(QuizDbContext db)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task EveryOpenedConnectionWaitsForTheWriteLockInsideSqlite()
    {
        var factory = Factory();
        await factory.MigrateQuizDatabaseAsync();
        for (var i = 0; i < 2; i++) // the second open takes the pooled connection again
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            Assert.Equal(SqliteBusyTimeout.Milliseconds, await BusyTimeoutAsync(db));
        }
    }

    [Fact]
    public async Task AWriteWaitsForAnotherConnectionsTransactionAndThenSucceeds()
    {
        var factory = Factory();
        await factory.MigrateQuizDatabaseAsync();
        await using var other = new SqliteConnection($"Data Source={Path.Combine(_dir.FullName, "quiz.db")}");
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO ProcessedUpdates (UpdateId, ProcessedAt) VALUES (1, 0);";
            await begin.ExecuteNonQueryAsync();
        }
        var release = Task.Run(async () =>
        {
            await Task.Delay(50);
            await using var commit = other.CreateCommand();
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        });

        await using var db = await factory.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync("INSERT INTO ProcessedUpdates (UpdateId, ProcessedAt) VALUES (2, 0)");
        await release;
        Assert.Equal([1L, 2L], await db.ProcessedUpdates.OrderBy(p => p.UpdateId).Select(p => p.UpdateId).ToListAsync());
    }
}
