using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CodeQuiz.Tests.Core.Persistence;

/// <summary>A database made by an earlier release keeps what it showed once its migrations move it on.</summary>
public sealed class MigrationDataTests : IDisposable
{
    static readonly DateTimeOffset T0 = new(2026, 10, 15, 10, 0, 0, TimeSpan.Zero);

    readonly SqliteConnection _connection = new("Data Source=:memory:");
    readonly DbContextOptions<SqliteQuizDbContext> _options;

    public MigrationDataTests()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite(_connection).Options;
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void AnswersStoredBeforeAnswersKeptTheirPeopleStandForTheTeamsHeadCount()
    {
        using (var db = new SqliteQuizDbContext(_options))
            db.GetService<IMigrator>().Migrate("20261201022349_QuestionStateIsAConcurrencyToken");

        int questionId;
        using (var db = new SqliteQuizDbContext(_options))
        {
            // Tables the migration leaves alone are written through the model; the answers as the release before wrote them.
            var e = new QuizEvent { Name = "Code Week", CreatedAt = T0 };
            var q = new Question { Prompt = "?", Code = "Q7kP2x", Position = 1, AcceptedAnswers = ["gio"] };
            e.Questions.Add(q);
            db.Events.Add(e);
            db.Participants.Add(new Participant { Id = 1, FirstName = "Ada", TeamName = "Classe 3B", HeadCount = 25, CreatedAt = T0 });
            db.Participants.Add(new Participant { Id = 2, FirstName = "Bruno", CreatedAt = T0 });
            db.SaveChanges();
            questionId = q.Id;
            foreach (var (participant, update) in new[] { (1L, 101L), (2L, 102L) })
                db.Database.ExecuteSql($"INSERT INTO Answers (QuestionId, ParticipantId, UpdateId, Text, IsCorrect, IsLate, AnsweredAt) VALUES ({questionId}, {participant}, {update}, 'gio', 1, 0, {T0.ToUnixTimeMilliseconds()})");
        }

        using (var db = new SqliteQuizDbContext(_options))
        {
            db.Database.Migrate();
            Assert.Equal([(1L, 25), (2L, 1)], db.Answers.OrderBy(a => a.ParticipantId).AsEnumerable().Select(a => (a.ParticipantId, a.People)));
        }
    }
}
