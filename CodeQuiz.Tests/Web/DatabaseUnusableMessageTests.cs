using Xunit.Abstractions;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// The line an operator reads when Database:ConnectionString leads nowhere: the database's own words for why, from the
/// exception the migration at start really throws.
/// </summary>
public class DatabaseUnusableMessageTests(ITestOutputHelper output)
{
    static async Task<Exception> MigrationFailure(DatabaseOptions options)
    {
        var services = new ServiceCollection().AddQuizDatabase(options, Path.GetTempPath());
        await using var provider = services.BuildServiceProvider();
        return await Assert.ThrowsAnyAsync<Exception>(() => provider.GetRequiredService<IDbContextFactory<QuizDbContext>>().MigrateQuizDatabaseAsync());
    }

    [Fact]
    public async Task ASqlServerNobodyAnswersAtIsSaidSoNotSuccess()
    {
        // SqlClient on Linux puts a connection refused on a Win32Exception with error 0 underneath, whose message is
        // "Success": that alone in the line left the operator nothing to go on.
        var failure = await MigrationFailure(new DatabaseOptions
        {
            Provider = "SqlServer",
            ConnectionString = "Server=127.0.0.1,1;Database=quiz;User Id=sa;Password=x;Connect Timeout=2;TrustServerCertificate=True",
        });
        for (var e = failure; e is not null; e = e.InnerException)
            output.WriteLine($"{e.GetType()}: {e.Message}");

        var line = DatabaseSetup.Unusable(failure);

        Assert.StartsWith("Database:ConnectionString does not lead to a usable database (", line);
        Assert.DoesNotContain("(Success)", line);
        Assert.Contains("SQL Server", line);
    }

    [Fact]
    public async Task ASqliteFileThatCannotBeOpenedIsSaidSo()
    {
        var failure = await MigrationFailure(new DatabaseOptions { ConnectionString = "Data Source=/proc/codequiz-cannot-exist/quiz.db" });
        for (var e = failure; e is not null; e = e.InnerException)
            output.WriteLine($"{e.GetType()}: {e.Message}");

        Assert.Equal($"Database:ConnectionString does not lead to a usable database ({failure.GetBaseException().Message}).", DatabaseSetup.Unusable(failure));
    }
}
