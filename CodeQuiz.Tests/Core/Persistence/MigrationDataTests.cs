using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
            var q = AddQuestion(db);
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
    public void EveryMigrationMovesTheDatabaseOnInsideItsTransaction()
    {
        // A step outside the migration's transaction (EF Core's own SQLite table rebuild turns foreign keys off around
        // it) would let a stop during the first start of a new release leave a database half moved on, that no later start
        // can move on; EF Core warns of each such step, here made an error.
        var options = new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite(_connection)
            .ConfigureWarnings(w => w.Throw(RelationalEventId.NonTransactionalMigrationOperationWarning)).Options;
        using var db = new SqliteQuizDbContext(options);
        db.Database.Migrate();
        Assert.Empty(db.Database.GetPendingMigrations());
    }

    [Fact]
    public void AnswersKeepEveryFieldWhenTheirTableLosesTheParticipantsKeyInOneTransaction()
    {
        using (var db = new SqliteQuizDbContext(_options))
            db.GetService<IMigrator>().Migrate("20261204140056_OutboxWaitingRowsReadById");

        int questionId;
        using (var db = new SqliteQuizDbContext(_options))
        {
            var q = AddQuestion(db);
            db.Participants.Add(new Participant { Id = 1_000_000_001, FirstName = "Ada", CreatedAt = T0 });
            db.SaveChanges();
            questionId = q.Id;
            db.Database.ExecuteSql($"""
                INSERT INTO Answers (QuestionId, ParticipantId, UpdateId, Text, OptionIndex, IsCorrect, IsLate, AnsweredAt, People)
                VALUES ({questionId}, 1000000001, 101, 'giò', 2, 1, 1, {T0.AddSeconds(3).ToUnixTimeMilliseconds()}, 25)
                """);
        }

        using (var db = new SqliteQuizDbContext(_options))
        {
            db.GetService<IMigrator>().Migrate("20261205072446_AnswersKeyedByQuestionOnly");
            var a = db.Answers.AsNoTracking().Single();
            Assert.Equal((1, questionId, 1_000_000_001L, 101L, "giò", (int?)2, true, true, T0.AddSeconds(3), 25),
                (a.Id, a.QuestionId, a.ParticipantId, a.UpdateId, a.Text, a.OptionIndex, a.IsCorrect, a.IsLate, a.AnsweredAt, a.People));
            Assert.Equal(["Questions"], db.Database.SqlQueryRaw<string>("SELECT \"table\" AS Value FROM pragma_foreign_key_list('Answers')").ToList());
            Assert.Equal(["IX_Answers_QuestionId_UpdateId"],
                db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_index_list('Answers') WHERE origin = 'c'").ToList());
            Assert.Equal(0, db.Database.SqlQueryRaw<int>("SELECT count(*) AS Value FROM sqlite_master WHERE name LIKE 'ef_temp%'").Single());
            // Foreign keys stayed on throughout, and nothing refers to a row that is gone.
            Assert.Equal(1, db.Database.SqlQueryRaw<int>("SELECT foreign_keys AS Value FROM pragma_foreign_keys").Single());
            Assert.Empty(db.Database.SqlQueryRaw<string>("SELECT \"table\" AS Value FROM pragma_foreign_key_check").ToList());
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

    [Fact]
    public void OutboxRowsAndAnswersKeepTheirIdsAndEveryFieldWhenTheirTablesLoseAutoincrementAndGetItBackGoingDown()
    {
        const string before = "20261205121930_ParticipantsInArrivalOrder";
        using (var db = new SqliteQuizDbContext(_options))
            db.GetService<IMigrator>().Migrate(before);

        int questionId;
        using (var db = new SqliteQuizDbContext(_options))
        {
            var q = AddQuestion(db);
            db.SaveChanges();
            questionId = q.Id;
            // The outbox as it was then, without the shared bodies' column the model has now.
            InsertOutboxRow(db, OutboxMethod.EditMessageText, OutboxPurpose.ChannelCount, OutboxMessage.LowPriority, "-100123", "<b>42</b> answers",
                """{"inline_keyboard":[]}""", 77, "cb", questionId, OutboxStatus.Failed, 3, T0, T0.AddSeconds(4), T0.AddSeconds(9), "Bad Request");
            InsertOutboxRow(db, OutboxMethod.SendMessage, OutboxPurpose.Reply, OutboxMessage.UrgentPriority, "812345001", "Received");
            InsertOutboxRow(db, OutboxMethod.SendMessage, OutboxPurpose.Reply, OutboxMessage.UrgentPriority, "812345002", "deleted below");
            db.Answers.AddRange(
                new Answer { QuestionId = questionId, ParticipantId = 9_000_000_002, UpdateId = 102, Text = "giò", OptionIndex = 2, IsCorrect = true, IsLate = true, AnsweredAt = T0.AddSeconds(3), People = 25 },
                new Answer { QuestionId = questionId, ParticipantId = 1_000_000_001, UpdateId = 101, Text = "deleted below", AnsweredAt = T0 });
            db.SaveChanges();
            // The highest of each deleted: AUTOINCREMENT remembers their ids, the rows that stay keep their own.
            db.Database.ExecuteSql($"DELETE FROM OutboxMessages WHERE Id = 3");
            db.Database.ExecuteSql($"DELETE FROM Answers WHERE Id = 2");
        }

        using (var db = new SqliteQuizDbContext(_options))
        {
            db.Database.Migrate();
            Assert.DoesNotContain(Autoincremented(db), t => t is "OutboxMessages" or "Answers");
            Assert.Equal(["Events", "Questions"], db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_sequence ORDER BY name").ToList());
            Assert.Equal(["IX_OutboxMessages_Failed", "IX_OutboxMessages_Pending0", "IX_OutboxMessages_Pending3", "IX_OutboxMessages_QuestionId", "IX_Answers_QuestionId_UpdateId"],
                db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('OutboxMessages', 'Answers') ORDER BY tbl_name DESC, name").ToList());

            var outbox = db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToList();
            Assert.Equal([1L, 2L], outbox.Select(m => m.Id));
            var post = outbox[0];
            Assert.Equal((OutboxMethod.EditMessageText, OutboxPurpose.ChannelCount, OutboxMessage.LowPriority, "-100123", "<b>42</b> answers", """{"inline_keyboard":[]}""",
                    (int?)77, "cb", (int?)questionId, OutboxStatus.Failed, 3, T0, T0.AddSeconds(4), (DateTimeOffset?)T0.AddSeconds(9), "Bad Request"),
                (post.Method, post.Purpose, post.Priority, post.ChatId, post.Text, post.ReplyMarkupJson, post.MessageId, post.CallbackQueryId, post.QuestionId,
                    post.Status, post.Attempts, post.CreatedAt, post.NotBefore, post.SentAt, post.LastError));
            var answer = Assert.Single(db.Answers.AsNoTracking().ToList());
            Assert.Equal((1L, questionId, 9_000_000_002L, 102L, "giò", (int?)2, true, true, T0.AddSeconds(3), 25),
                (answer.Id, answer.QuestionId, answer.ParticipantId, answer.UpdateId, answer.Text, answer.OptionIndex, answer.IsCorrect, answer.IsLate, answer.AnsweredAt, answer.People));

            // A plain rowid: the highest in the table plus one, so the deleted ids come again.
            db.Database.ExecuteSql($"INSERT INTO OutboxMessages (Method, Purpose, Priority, ChatId, Status, Attempts, CreatedAt, NotBefore) VALUES (0, 0, 2, '1', 0, 0, 0, 0)");
            Assert.Equal(3L, db.OutboxMessages.Max(m => m.Id));
            // The answers still go with their question.
            db.Database.ExecuteSql($"DELETE FROM Questions");
            Assert.Empty(db.Answers.ToList());
        }

        using (var db = new SqliteQuizDbContext(_options))
        {
            db.GetService<IMigrator>().Migrate(before);
            Assert.Equal(["OutboxMessages", "Answers"], Autoincremented(db).Where(t => t is "OutboxMessages" or "Answers"));
            Assert.Equal([1L, 2L, 3L], db.OutboxMessages.OrderBy(m => m.Id).Select(m => m.Id).ToList());
        }
    }

    [Fact]
    public void RepliesNamingASharedBodyGetItsTextAndKeyboardBackGoingDownAndTheOutboxStaysWithoutAutoincrement()
    {
        const string before = "20261205141926_OutboxAndAnswersWithoutAutoincrement";
        using (var db = new SqliteQuizDbContext(_options))
            db.GetService<IMigrator>().Migrate(before);
        using (var db = new SqliteQuizDbContext(_options))
        {
            InsertOutboxRow(db, OutboxMethod.SendMessage, OutboxPurpose.Reply, OutboxMessage.PromptPriority, "812345001", "<b>Question 1</b>", """{"inline_keyboard":[[]]}""");
            db.Database.Migrate();
            var kept = db.OutboxMessages.AsNoTracking().Single();
            Assert.Equal(("<b>Question 1</b>", """{"inline_keyboard":[[]]}""", (long?)null), (kept.Text, kept.ReplyMarkupJson, kept.BodyId));

            db.OutboxBodies.Add(new OutboxBody { Id = 5, Text = "<b>Question 2</b>", ReplyMarkupJson = """{"inline_keyboard":[[{"text":"A"}]]}""" });
            db.OutboxMessages.AddRange(
                new OutboxMessage { ChatId = "812345002", BodyId = 5, CreatedAt = T0, NotBefore = T0 },
                new OutboxMessage { ChatId = "812345003", Text = "Received", CreatedAt = T0, NotBefore = T0 });
            db.SaveChanges();

            db.GetService<IMigrator>().Migrate(before);
            using var read = _connection.CreateCommand();
            read.CommandText = "SELECT ChatId, Text, ReplyMarkupJson FROM OutboxMessages ORDER BY Id";
            var rows = new List<(string, string, string?)>();
            using (var reader = read.ExecuteReader())
                while (reader.Read())
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            Assert.Equal([("812345001", "<b>Question 1</b>", """{"inline_keyboard":[[]]}"""), ("812345002", "<b>Question 2</b>", """{"inline_keyboard":[[{"text":"A"}]]}"""), ("812345003", "Received", null)],
                rows);
            Assert.Empty(db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('OutboxMessages') WHERE name = 'BodyId'").ToList());
            Assert.Empty(db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE name = 'OutboxBodies'").ToList());
            // Not copied into a table built from the model, which would number the outbox with AUTOINCREMENT again.
            Assert.DoesNotContain("OutboxMessages", Autoincremented(db));
            Assert.Equal(["IX_OutboxMessages_Failed", "IX_OutboxMessages_Pending0", "IX_OutboxMessages_Pending3", "IX_OutboxMessages_QuestionId"],
                db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'index' AND tbl_name = 'OutboxMessages' ORDER BY name").ToList());
        }
    }

    [Fact]
    public void TimedPromptsKeepTheirTextGoingDownAndTheOutboxStaysWithoutAutoincrement()
    {
        const string before = "20261205170529_OutboxBodies";
        using (var db = new SqliteQuizDbContext(_options))
            db.GetService<IMigrator>().Migrate(before);
        using (var db = new SqliteQuizDbContext(_options))
        {
            InsertOutboxRow(db, OutboxMethod.SendMessage, OutboxPurpose.Reply, OutboxMessage.PromptPriority, "812345001", "<b>Question 1</b>\n⏱ 30 s left.");
            db.Database.Migrate();
            Assert.Null(db.OutboxMessages.AsNoTracking().Single().TimedQuestionId); // rows from before name no question

            db.OutboxMessages.Add(new OutboxMessage
            {
                ChatId = "812345002", Text = "<b>Question 2</b>\n⏱ 60 s left.", TimedQuestionId = 7, CreatedAt = T0, NotBefore = T0,
            });
            db.SaveChanges();
            Assert.Equal([null, 7], db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).Select(m => m.TimedQuestionId).ToList());

            db.GetService<IMigrator>().Migrate(before);
            Assert.Equal(["<b>Question 1</b>\n⏱ 30 s left.", "<b>Question 2</b>\n⏱ 60 s left."],
                db.Database.SqlQueryRaw<string>("SELECT Text AS Value FROM OutboxMessages ORDER BY Id").ToList());
            Assert.Empty(db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('OutboxMessages') WHERE name = 'TimedQuestionId'").ToList());
            Assert.DoesNotContain("OutboxMessages", Autoincremented(db));
        }
    }

    /// <summary>An outbox row written with the columns every migration's table has.</summary>
    static void InsertOutboxRow(SqliteQuizDbContext db, OutboxMethod method, OutboxPurpose purpose, int priority, string chatId, string? text,
        string? markup = null, int? messageId = null, string? callbackQueryId = null, int? questionId = null, OutboxStatus status = OutboxStatus.Pending,
        int attempts = 0, DateTimeOffset? createdAt = null, DateTimeOffset? notBefore = null, DateTimeOffset? sentAt = null, string? lastError = null) =>
        db.Database.ExecuteSql($"""
            INSERT INTO OutboxMessages (Method, Purpose, Priority, ChatId, Text, ReplyMarkupJson, MessageId, CallbackQueryId, QuestionId, Status, Attempts, CreatedAt, NotBefore, SentAt, LastError)
            VALUES ({(int)method}, {(int)purpose}, {priority}, {chatId}, {text}, {markup}, {messageId}, {callbackQueryId}, {questionId}, {(int)status}, {attempts},
                {(createdAt ?? T0).ToUnixTimeMilliseconds()}, {(notBefore ?? T0).ToUnixTimeMilliseconds()}, {sentAt?.ToUnixTimeMilliseconds()}, {lastError})
            """);

    /// <summary>An event with one question, added to <paramref name="db"/> and not saved yet.</summary>
    static Question AddQuestion(SqliteQuizDbContext db)
    {
        var e = new QuizEvent { Name = "Code Week", CreatedAt = T0 };
        var q = new Question { Prompt = "?", Code = "Q7kP2x", Position = 1, AcceptedAnswers = ["gio"] };
        e.Questions.Add(q);
        db.Events.Add(e);
        return q;
    }

    /// <summary>The tables whose ids SQLite numbers with AUTOINCREMENT.</summary>
    static List<string> Autoincremented(SqliteQuizDbContext db) =>
        db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table' AND instr(sql, 'AUTOINCREMENT') > 0 ORDER BY rootpage").ToList();
}
