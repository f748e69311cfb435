using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Tests.Core.Persistence;

/// <summary>
/// The organizers' pages on a big event (300,000 participants, a million answers, a million and a half outbox rows):
/// what SQLite plans for their queries, since reading a row of another table per answer is what made them take seconds.
/// </summary>
public sealed class QueryPlanTests : IDisposable
{
    readonly SqliteConnection _connection = new("Data Source=:memory:");
    readonly DbContextOptions<SqliteQuizDbContext> _options;

    public QueryPlanTests()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite(_connection).Options;
        using var db = new SqliteQuizDbContext(_options);
        db.Database.Migrate();
    }

    public void Dispose() => _connection.Dispose();

    IReadOnlyList<string> PlanOf<T>(Func<QuizDbContext, IQueryable<T>> query)
    {
        using var db = new SqliteQuizDbContext(_options);
        return SqlitePlans.Of(_connection, query(db));
    }

    [Fact]
    public void AQuestionsCountsReadItsAnswersAlone()
    {
        // Counting 300,000 answers through the (QuestionId, UpdateId) index; joined to their participants it read a
        // participant row per answer, scattered over the table. Each answer keeps the people it stood for instead.
        var counts = PlanOf(db => QuizResults.CountsQuery(db, 1));
        Assert.Contains(counts, step => step.StartsWith("SEARCH a USING INDEX IX_Answers_QuestionId_UpdateId (QuestionId=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(counts, step => step.Contains("Participants", StringComparison.Ordinal) || step.Contains(" p ", StringComparison.Ordinal) || step.EndsWith(" p", StringComparison.Ordinal));
    }

    [Fact]
    public void TheLeaderboardReadsTheEventsAnswersByQuestionAndNeverOncePerParticipant()
    {
        // No index of the answers is led by the participant: a look-up of a participant's answers would scan them all,
        // once per team member of 300,000 participants. The event's answers are read once, the right answers' board
        // included: finding its team members who were never right by two more passes over them (who answered, who
        // answered right) made a board of 2.4 million answers take 3.4 s instead of 1.8.
        using var db = new SqliteQuizDbContext(_options);
        foreach (var mode in new[] { ScoringMode.CorrectThenDelay, ScoringMode.SpeedPoints })
            foreach (var rightOnly in new[] { false, true })
            {
                var plan = SqlitePlans.Of(_connection, QuizResults.LeaderboardSqlFor(db, mode, rightOnly).Replace("{0}", "1").Replace("{1}", "100"));
                Assert.DoesNotContain(plan, step => step.StartsWith("SCAN a", StringComparison.Ordinal) || step.Contains("CORRELATED", StringComparison.Ordinal));
                Assert.Single(plan, step => step.StartsWith("SEARCH a USING INDEX IX_Answers_QuestionId_UpdateId (QuestionId=?)", StringComparison.Ordinal));
            }
    }

    [Fact]
    public void TheSenderReadsWaitingRowsThroughTheirIndexOrByIdWithoutPassingOverTheRowsSent()
    {
        // An event leaves a million and a half sent rows in the table: a read of the waiting ones must not pass over them.
        foreach (var priority in OutboxMessage.Priorities)
        {
            var read = PlanOf(db => OutboxSender.WaitingBut(db, priority, 41, 900, ["1001", "1002"]).Take(120));
            Assert.Contains(read, step => step.StartsWith(OutboxMessage.HasWaitingIndex(priority)
                ? $"SEARCH o USING INDEX IX_OutboxMessages_Pending{priority} (Id>? AND Id<?)"
                : "SEARCH o USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)", StringComparison.Ordinal));
        }
        Assert.Contains(PlanOf(db => db.OutboxMessages.Where(m => m.Status == OutboxStatus.Failed).OrderByDescending(m => m.Id).Take(20)),
            step => step.Contains("USING INDEX IX_OutboxMessages_Failed", StringComparison.Ordinal));
        Assert.Contains(PlanOf(db => SendingFailures.OthersQuery(db, DateTimeOffset.UtcNow)),
            step => step.Contains("USING INDEX IX_OutboxMessages_Failed", StringComparison.Ordinal));
        Assert.Contains(PlanOf(OutboxRequeue.RepliesToSendAgain), step => step.Contains("USING INDEX IX_OutboxMessages_Failed", StringComparison.Ordinal));
    }
}
