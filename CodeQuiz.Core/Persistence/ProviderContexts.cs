using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CodeQuiz.Core.Persistence;

public sealed class SqliteQuizDbContext(DbContextOptions<SqliteQuizDbContext> options) : QuizDbContext(options)
{
    /// <summary>SQLite cannot compare or order DateTimeOffset text, so times are stored as Unix milliseconds.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        builder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    internal sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}

public sealed class SqlServerQuizDbContext(DbContextOptions<SqlServerQuizDbContext> options) : QuizDbContext(options);

/// <summary>Lets `dotnet ef` build each provider's model without a running server or the web host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteQuizDbContext>
{
    public SqliteQuizDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerQuizDbContext>
{
    public SqlServerQuizDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerQuizDbContext>().UseSqlServer("Server=.;Database=CodeQuiz;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
