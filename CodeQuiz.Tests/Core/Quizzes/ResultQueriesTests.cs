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
        Assert.Contains("ORDER BY", QuizResults.RankingQuery(db, 1, 0, 10).ToQueryString());
        Assert.Contains("GROUP BY", QuizResults.DistributionQuery(db, 1).ToQueryString());
        Assert.Contains("GROUP BY", QuizResults.RightTextsQuery(db, 1).ToQueryString());
        Assert.Contains("GROUP BY", QuizResults.OptionCountsQuery(db, 1).ToQueryString());
        Assert.Contains("ORDER BY", QuizResults.AnswerRowsQuery(db, 1, 0, QuizResults.AnswersCsvChunk).ToQueryString());
        Assert.Contains(provider == "Sqlite" ? "json_each" : "OPENJSON", QuizResults.NamesQuery(db, [1, 2, 3], rankedOnly: false).ToQueryString());
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

    [Theory]
    [MemberData(nameof(Providers))]
    public void TheLeaderboardNumbersOnlyTheFirstRowsNotEveryParticipant(string provider)
    {
        // Numbering all 300,000 participants of a big event to keep the first hundred took most of the leaderboard's time:
        // the numbering reads the first {1} rows, which the database keeps while it reads the aggregate once.
        using var db = Context(provider);
        var limited = provider == "Sqlite" ? @"SELECT \* FROM scored ORDER BY [^()]* LIMIT \{1\}" : @"SELECT TOP \(\{1\}\) \* FROM scored ORDER BY [^()]*";
        foreach (var mode in new[] { ScoringMode.CorrectThenDelay, ScoringMode.SpeedPoints })
        {
            var sql = QuizResults.LeaderboardSqlFor(db, mode);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(sql, "ROW_NUMBER"));
            Assert.Matches(@"ROW_NUMBER\(\) OVER \([^)]*\) AS BIGINT\) AS Place\s+FROM \(" + limited + @"\) ranked", sql);
            Assert.Contains(provider == "Sqlite" ? "WITH s AS MATERIALIZED (" : "WITH s AS (", sql);
        }
    }
}
