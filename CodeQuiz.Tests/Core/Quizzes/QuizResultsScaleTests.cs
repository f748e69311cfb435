using System.Diagnostics;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CodeQuiz.Tests.Core.Quizzes;

public class QuizResultsScaleTests(ITestOutputHelper output)
{
    const int Answers = 100_000;

    [Fact]
    public async Task AQuestionWithAHundredThousandAnswersRanksTheFirstCorrectByUpdateId()
    {
        await using var factory = ApiTesting.NewFactory();
        factory.CreateClient();
        var dbs = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var opened = new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
        int questionId, eventId;
        await using (var db = await dbs.CreateDbContextAsync())
        {
            var ev = new QuizEvent { Name = "Stress", CreatedAt = opened };
            var question = new Question { Prompt = "Which language has goroutines?", AcceptedAnswers = ["Go"], Code = "stress01", Position = 1, State = QuestionState.Closed, OpenedAt = opened };
            ev.Questions.Add(question);
            db.Events.Add(ev);
            await db.SaveChangesAsync();
            (questionId, eventId) = (question.Id, ev.Id);

            // Participant i answers 10 ms after participant i-1; Telegram's numbering runs the other way,
            // so the ranking must follow update_id, not time or insertion order. Every third is wrong, the last 1,000 late.
            var openedMs = opened.ToUnixTimeMilliseconds();
            var seed = $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Answers})
                INSERT INTO Participants (Id, FirstName, TeamName, HeadCount, Registration, CreatedAt)
                SELECT i, 'P' || i, CASE WHEN i % 10 = 0 THEN 'Team ' || (i % 50) END, CASE WHEN i % 10 = 0 THEN 20 END, 0, {openedMs} FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Answers})
                INSERT INTO Answers (QuestionId, ParticipantId, UpdateId, Text, IsCorrect, IsLate, AnsweredAt, People)
                SELECT {questionId}, i, 1000000 - i,
                       CASE WHEN i % 3 = 0 THEN 'Answer ' || (i % 40) ELSE 'Go' END,
                       i % 3 <> 0, i > {Answers - 1000}, {openedMs} + i * 10, CASE WHEN i % 10 = 0 THEN 20 ELSE 1 END FROM n;
                """;
            await db.Database.ExecuteSqlRawAsync(seed);
        }
        var results = factory.Services.GetRequiredService<QuizResults>();
        // The first call of each compiles its queries; the measured calls are the ones an organizer waits for.
        await results.GetQuestionResultsAsync(questionId);
        await results.GetLeaderboardAsync(eventId, size: 10);

        // Wall time is printed for the record; CPU time of this process is steadier on a busy machine.
        var process = Process.GetCurrentProcess();
        var measured = new List<string>();
        async Task<T> MeasureAsync<T>(string what, Func<Task<T>> run)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var result = await run();
            process.Refresh();
            measured.Add($"{what} {clock.Elapsed.TotalMilliseconds:0} ms (CPU {(process.TotalProcessorTime - cpu).TotalMilliseconds:0} ms)");
            return result;
        }
        var outcome = await MeasureAsync("results", () => results.GetQuestionResultsAsync(questionId));
        var board = await MeasureAsync("leaderboard", () => results.GetLeaderboardAsync(eventId, size: 10));
        var csv = new StringWriter();
        await MeasureAsync("answers CSV", () => results.WriteAnswersCsvAsync(eventId, csv));
        output.WriteLine($"{Answers} answers on one question: {string.Join(", ", measured)}");

        Assert.NotNull(outcome);
        Assert.Equal(Answers - 1000, outcome.TotalAnswers);
        Assert.Equal(1000, outcome.LateAnswers);
        Assert.Equal(Answers - 1000, outcome.Participants);
        Assert.Equal(Answers - 1000 + 19 * 9_900, outcome.People); // every tenth participant is a team of 20
        // Late participants are 99,001..100,000; the highest on-time i has the lowest update_id. Skip multiples of 3 (wrong).
        var expected = Enumerable.Range(1, Answers - 1000).Reverse().Where(i => i % 3 != 0).Take(10).Select(i => $"P{i}");
        Assert.Equal(expected, outcome.Ranking.Select(r => r.Name));
        Assert.Equal(989.99, outcome.Ranking[0].DelaySeconds);
        Assert.Equal(11, outcome.Distribution.Count);
        Assert.Equal(outcome.TotalAnswers, outcome.Distribution.Sum(d => d.Count));

        Assert.NotNull(board);
        Assert.Equal(10, board.Participants.Count);
        Assert.Equal("P1", board.Participants[0].Name); // every correct participant has 1 correct; the smallest delay wins
        Assert.Equal(Answers + 1, csv.ToString().Count(c => c == '\n'));
    }
}
