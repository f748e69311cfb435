using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Core.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers <see cref="IDbContextFactory{QuizDbContext}"/> (one short-lived context per operation)
    /// and a scoped <see cref="QuizDbContext"/> for Identity, on the configured provider.
    /// </summary>
    public static IServiceCollection AddQuizDatabase(this IServiceCollection services, DatabaseOptions options, string contentRoot)
    {
        if (options.IsSqlite)
        {
            SqliteLibrary.Configure();
            var connectionString = ResolveSqlitePath(options.ConnectionString, contentRoot);
            services.AddDbContextFactory<SqliteQuizDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteBusyTimeout()));
            services.AddSingleton<IDbContextFactory<QuizDbContext>, BaseFactory<SqliteQuizDbContext>>();
        }
        else
        {
            services.AddDbContextFactory<SqlServerQuizDbContext>(o => o.UseSqlServer(options.ConnectionString));
            services.AddSingleton<IDbContextFactory<QuizDbContext>, BaseFactory<SqlServerQuizDbContext>>();
        }
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>A relative SQLite file is kept next to the app, whatever the working directory.</summary>
    public static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(file))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, file));
        return builder.ToString();
    }

    sealed class BaseFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<QuizDbContext> where T : QuizDbContext
    {
        public QuizDbContext CreateDbContext() => inner.CreateDbContext();
    }

    /// <summary>
    /// SQL Server's <c>delayed_durability</c> of the database in use (0 disabled, 1 allowed, 2 forced), as <c>Value</c>.
    /// </summary>
    public const string DelayedDurabilitySql =
        "SELECT CAST(delayed_durability AS int) AS [Value] FROM sys.databases WHERE database_id = DB_ID()";

    /// <summary>
    /// Why a SQL Server database cannot keep what CodeQuiz acknowledges, or null. With delayed durability forced, a commit
    /// returns before its log is on disk: Telegram would be told an answer is stored that a crash then loses. Allowed is
    /// fine: CodeQuiz's transactions never ask for it.
    /// </summary>
    public static string? DurabilityMistake(int delayedDurability, string database) =>
        delayedDurability == 2
            ? $"the SQL Server database {database} has DELAYED_DURABILITY = FORCED, so a commit returns before it is on disk and a crash " +
              "would lose answers Telegram was told are stored; run ALTER DATABASE CURRENT SET DELAYED_DURABILITY = DISABLED"
            : null;

    /// <summary>
    /// Applies pending migrations; on SQLite also switches the file to WAL so readers never block the writer, on SQL Server
    /// refuses a database that would acknowledge commits before they are durable.
    /// </summary>
    public static async Task MigrateQuizDatabaseAsync(this IDbContextFactory<QuizDbContext> factory, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (Path.GetDirectoryName(file) is { Length: > 0 } dir)
                Directory.CreateDirectory(dir);
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlServer())
        {
            var durability = await db.Database.SqlQueryRaw<int>(DelayedDurabilitySql).SingleAsync(cancellationToken);
            if (DurabilityMistake(durability, db.Database.GetDbConnection().Database) is { } mistake)
                throw new InvalidOperationException(mistake);
        }
    }
}
