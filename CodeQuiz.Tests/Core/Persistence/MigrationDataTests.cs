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

    [Fact]
    public void ParticipantsKeepEveryFieldWhenTheirTableLosesItsKeyAndComeInTheOrderTheyJoined()
    {
        using (var db = new SqliteQuizDbContext(_options))
            db.GetService<IMigrator>().Migrate("20261205072446_AnswersKeyedByQuestionOnly");

        var joined = new[]
        {
            new Participant { Id = 1_000_000_001, FirstName = "Ada", LastName = "Lovelace", Username = "ada", LanguageCode = "it", TeamName = "Classe 3B", HeadCount = 25, Registration = RegistrationStep.None, CurrentQuestionId = 7, CreatedAt = T0.AddMinutes(2) },
            new Participant { Id = 9_000_000_002, FirstName = "Bruno", Registration = RegistrationStep.AwaitingHeadCount, CreatedAt = T0, LeftOutAt = T0.AddMinutes(5) },
            new Participant { Id = 5_000_000_003, FirstName = "Chiara", CreatedAt = T0.AddMinutes(1) },
        };
        using (var db = new SqliteQuizDbContext(_options))
        {
            db.Participants.AddRange(joined);
            db.SaveChanges();
        }

        using (var db = new SqliteQuizDbContext(_options))
        {
            db.Database.Migrate();
            var rows = db.Participants.FromSqlRaw("SELECT * FROM Participants ORDER BY rowid").AsNoTracking().ToList();
            Assert.Equal(["Bruno", "Chiara", "Ada"], rows.Select(p => p.FirstName));
            var ada = rows[2];
            Assert.Equal((1_000_000_001L, "Lovelace", "ada", "it", "Classe 3B", (int?)25, RegistrationStep.None, (int?)7, T0.AddMinutes(2), (DateTimeOffset?)null),
                (ada.Id, ada.LastName, ada.Username, ada.LanguageCode, ada.TeamName, ada.HeadCount, ada.Registration, ada.CurrentQuestionId, ada.CreatedAt, ada.LeftOutAt));
            Assert.Equal((RegistrationStep.AwaitingHeadCount, (DateTimeOffset?)T0.AddMinutes(5)), (rows[0].Registration, rows[0].LeftOutAt));
        }
    }
}
