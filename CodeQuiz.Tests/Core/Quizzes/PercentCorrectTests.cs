using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Core.Quizzes;

/// <summary>
/// "0%" while someone was right, or "100%" while someone was wrong, is what the audience takes literally: the results
/// carry a percent that never rounds to either unless it is so.
/// </summary>
public class PercentCorrectTests
{
    [Theory]
    [InlineData(2001, 1, "1%")]     // one right answer in 2001: 0.04998% -> 0.0 -> "0%"
    [InlineData(2001, 2000, "99%")] // one wrong answer in 2001: 99.95% -> 100.0 -> "100%"
    public async Task ThePercentShownNeverSaysNobodyOrEverybodyWhenItIsNotSo(int answers, int correct, string shown)
    {
        await using var factory = ApiTesting.NewFactory();
        factory.CreateClient();
        var dbs = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var opened = new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
        int questionId;
        await using (var db = await dbs.CreateDbContextAsync())
        {
            var ev = new QuizEvent { Name = "Percent", CreatedAt = opened };
            var question = new Question { Prompt = "?", AcceptedAnswers = ["Go"], Code = "percent01", Position = 1, State = QuestionState.Closed, OpenedAt = opened };
            ev.Questions.Add(question);
            db.Events.Add(ev);
            await db.SaveChangesAsync();
            questionId = question.Id;
            var openedMs = opened.ToUnixTimeMilliseconds();
            var seed = $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {answers})
                INSERT INTO Participants (Id, FirstName, Registration, CreatedAt) SELECT i, 'P' || i, 0, {openedMs} FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {answers})
                INSERT INTO Answers (QuestionId, ParticipantId, UpdateId, Text, IsCorrect, IsLate, AnsweredAt, People)
                SELECT {questionId}, i, i, CASE WHEN i <= {correct} THEN 'Go' ELSE 'Rust' END, i <= {correct}, 0, {openedMs} + i, 1 FROM n;
                """;
            await db.Database.ExecuteSqlRawAsync(seed);
        }

        var results = (await factory.Services.GetRequiredService<QuizResults>().GetQuestionResultsAsync(questionId))!;

        Assert.Equal(shown, QuizFormat.Percent(results.Correct, results.TotalAnswers)); // the results page and the live page
        Assert.Contains($"<b>{shown}</b>", ChannelPosts.Results(new QuizEvent { Name = "x", Language = "en" },
            new Question { Position = 1, Code = "percent01", Prompt = "?", AcceptedAnswers = ["Go"] }, results));
    }
}
