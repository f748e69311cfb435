using System.Data.Common;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;
using Xunit.Abstractions;

namespace CodeQuiz.Tests.Core.Quizzes;

/// <summary>
/// SQLite's participants have no index on the Telegram id (see the ParticipantsInArrivalOrder migration), so a read that
/// joins them to answers goes through the whole table once for every answer: the answers CSV of 100,000 answers took
/// seven minutes so. The work is counted in SQLite's own steps (its progress handler), not in time, so these hold on a
/// busy machine: five times the answers and participants must cost about five times the steps, not twenty-five.
/// </summary>
public sealed class ResultsReadingWorkTests(ITestOutputHelper output) : IDisposable
{
    readonly List<string> _files = [];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in _files) File.Delete(file);
    }

    [Fact]
    public async Task TheAnswersExportReadsEachParticipantOnceNotOnceForEveryAnswer()
    {
        async Task<(long Steps, string Csv)> ExportAsync(int people)
        {
            var (results, steps, eventId, _) = await SeedAsync(people);
            var csv = new StringWriter();
            steps.Reset();
            Assert.True(await results.WriteAnswersCsvAsync(eventId, csv));
            return (steps.Steps, csv.ToString());
        }

        var (small, smallCsv) = await ExportAsync(1_000);
        var (large, largeCsv) = await ExportAsync(5_000);

        output.WriteLine($"answers CSV: {small:N0} steps of SQLite for 1,000 answers, {large:N0} for 5,000");
        Assert.Equal(1_001, smallCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var lines = largeCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5_001, lines.Length);
        // In Telegram's order, each with its own participant's name and team: P5000 answered first.
        Assert.StartsWith("1,q1,P5000,Team 0,20,Go,true,false,", lines[1]);
        Assert.StartsWith("1,q1,P4999,,,Go,true,false,", lines[2]);
        Assert.StartsWith("1,q1,P4998,,,Answer 38,false,false,", lines[3]);
        Assert.True(large < 10 * small, $"5,000 answers took {large:N0} steps of SQLite against {small:N0} for 1,000");
    }

    [Fact]
    public async Task AQuestionsFirstHundredCostAboutWhatItsFirstTenDoAndSkipWhoIsLeftOut()
    {
        var (results, steps, _, question) = await SeedAsync(5_000, leftOut: [4_999, 4_000]);

        steps.Reset();
        var ten = await results.GetRankingAsync(question, 10);
        var forTen = steps.Steps;
        steps.Reset();
        var hundred = await results.GetRankingAsync(question, 100);
        var forHundred = steps.Steps;

        output.WriteLine($"ranking: {forTen:N0} steps of SQLite for the first 10 of 5,000, {forHundred:N0} for the first 100");
        // Correct answers are those of participants not divisible by 3, in Telegram's order from P5000 down.
        var expected = Enumerable.Range(1, 5_000).Reverse().Where(i => i % 3 != 0 && i is not (4_999 or 4_000)).Select(i => $"P{i}").ToList();
        Assert.Equal(expected.Take(10), ten.Select(r => r.Name));
        Assert.Equal(expected.Take(100), hundred.Select(r => r.Name));
        Assert.Equal(Enumerable.Range(1, 100), hundred.Select(r => r.Rank));
        Assert.Equal(0.01, ten[0].DelaySeconds);
        Assert.True(forHundred < 3 * forTen, $"the first 100 took {forHundred:N0} steps of SQLite against {forTen:N0} for the first 10");
    }

    static readonly DateTimeOffset Opened = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// An event with one closed question and <paramref name="people"/> participants who answered it, in arrival order,
    /// Telegram's numbering running the other way; every third wrong, every tenth a team of 20.
    /// </summary>
    async Task<(QuizResults Results, StepCounter Steps, int EventId, Question Question)> SeedAsync(int people, int[]? leftOut = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"codequiz-results-work-{Guid.NewGuid():N}.db");
        _files.Add(file);
        var steps = new StepCounter();
        var options = new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite($"Data Source={file};Pooling=False").AddInterceptors(steps).Options;
        await using var db = new SqliteQuizDbContext(options);
        await db.Database.MigrateAsync();
        var ev = new QuizEvent { Name = "Work", CreatedAt = Opened };
        var question = new Question { Prompt = "Which language has goroutines?", AcceptedAnswers = ["Go"], Code = "q1", Position = 1, State = QuestionState.Closed, OpenedAt = Opened };
        ev.Questions.Add(question);
        db.Events.Add(ev);
        await db.SaveChangesAsync();
        var openedMs = Opened.ToUnixTimeMilliseconds();
        var seed = $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {people})
            INSERT INTO Participants (Id, FirstName, TeamName, HeadCount, Registration, CreatedAt)
            SELECT i, 'P' || i, CASE WHEN i % 10 = 0 THEN 'Team ' || (i % 50) END, CASE WHEN i % 10 = 0 THEN 20 END, 0, {openedMs} FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {people})
            INSERT INTO Answers (QuestionId, ParticipantId, UpdateId, Text, IsCorrect, IsLate, AnsweredAt, People)
            SELECT {question.Id}, i, 1000000 - i, CASE WHEN i % 3 = 0 THEN 'Answer ' || (i % 40) ELSE 'Go' END,
                   i % 3 <> 0, 0, {openedMs} + ({people} + 1 - i) * 10, CASE WHEN i % 10 = 0 THEN 20 ELSE 1 END FROM n;
            """;
        await db.Database.ExecuteSqlRawAsync(seed);
        foreach (var id in leftOut ?? [])
            await db.Database.ExecuteSqlRawAsync("UPDATE Participants SET LeftOutAt = {0} WHERE Id = {1}", openedMs, (long)id);
        return (new QuizResults(new Contexts(options)), steps, ev.Id, question);
    }

    sealed class Contexts(DbContextOptions<SqliteQuizDbContext> options) : IDbContextFactory<QuizDbContext>
    {
        public QuizDbContext CreateDbContext() => new SqliteQuizDbContext(options);
    }

    /// <summary>Counts the virtual machine instructions SQLite runs on every connection opened, a hundred at a time.</summary>
    sealed class StepCounter : DbConnectionInterceptor
    {
        const int Every = 100;
        long _calls;
        readonly delegate_progress _count;

        public StepCounter() => _count = _ => { Interlocked.Increment(ref _calls); return 0; };

        public long Steps => Interlocked.Read(ref _calls) * Every;

        public void Reset() => Interlocked.Exchange(ref _calls, 0);

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Watch(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Watch(connection);
            return Task.CompletedTask;
        }

        void Watch(DbConnection connection) => raw.sqlite3_progress_handler(((SqliteConnection)connection).Handle, Every, _count, null);
    }
}
