using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Tests.Core.Quizzes;

/// <summary>The results queries translate on both providers (SQL Server needs no server to translate).</summary>
public class ResultQueriesTests
{
    public static TheoryData<string> Providers => ["Sqlite", "SqlServer"];

    static QuizDbContext Context(string provider) => provider == "Sqlite"
        ? new SqliteDesignTimeFactory().CreateDbContext([])
        : new SqlServerDesignTimeFactory().CreateDbContext([]);

    [Theory]
    [MemberData(nameof(Providers))]
    public void EveryResultsQueryTranslatesToSql(string provider)
    {
        using var db = Context(provider);

        Assert.Contains("GROUP BY", QuizResults.CountsQuery(db, 1).ToQueryString());
        Assert.Contains("EXISTS", QuizResults.TeamPeopleBeyondOneQuery(db, 1).ToQueryString());
        Assert.Contains("ORDER BY", QuizResults.RankingQuery(db, 1, 10).ToQueryString());
        Assert.Contains("GROUP BY", QuizResults.DistributionQuery(db, 1).ToQueryString());
        Assert.Contains("GROUP BY", QuizResults.OptionCountsQuery(db, 1).ToQueryString());
        Assert.Contains("ORDER BY", QuizResults.AnswerRowsQuery(db, 1).ToQueryString());
    }

    [Fact]
    public void TheLeaderboardComputesDelaysInTheProvidersOwnWay()
    {
        using var sqlite = Context("Sqlite");
        using var sqlServer = Context("SqlServer");

        Assert.Contains("(a.AnsweredAt - q.OpenedAt)", QuizResults.LeaderboardSqlFor(sqlite));
        Assert.Contains("DATEDIFF_BIG(millisecond, q.OpenedAt, a.AnsweredAt)", QuizResults.LeaderboardSqlFor(sqlServer));
        Assert.DoesNotContain("LIMIT", QuizResults.LeaderboardSqlFor(sqlServer));
    }
}
