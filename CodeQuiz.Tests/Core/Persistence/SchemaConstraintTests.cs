using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CodeQuiz.Tests.Core.Persistence;

/// <summary>The database itself, not only the code, refuses what must never be stored twice.</summary>
public sealed class SchemaConstraintTests : IDisposable
{
    static readonly DateTimeOffset T0 = new(2026, 10, 15, 10, 0, 0, TimeSpan.Zero);

    // An in-memory SQLite database lives as long as its connection is open.
    readonly SqliteConnection _connection = new("Data Source=:memory:");
    readonly DbContextOptions<SqliteQuizDbContext> _options;

    public SchemaConstraintTests()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite(_connection).Options;
        using var db = NewContext();
        db.Database.Migrate();
    }

    SqliteQuizDbContext NewContext() => new(_options);

    public void Dispose() => _connection.Dispose();

    (int QuestionId, long ParticipantId) Seed()
    {
        using var db = NewContext();
        var e = new QuizEvent { Name = "Code Week", CreatedAt = T0 };
        var q = new Question { Prompt = "?", Code = "Q7kP2x", Position = 1, AcceptedAnswers = ["gio"] };
        e.Questions.Add(q);
        db.Events.Add(e);
        db.Participants.Add(new Participant { Id = 987654321, FirstName = "Giulia", CreatedAt = T0 });
        db.SaveChanges();
        return (q.Id, 987654321);
    }

    [Fact]
    public void AnAnswerIsIndexedOnceByQuestionAndNothingOfItIsKeyedByTheParticipant()
    {
        // A crowd's Telegram ids are scattered over billions: an index or a foreign key led by them would put each answer
        // of a batch on a page of its own. One answer per participant and question is the batch writer's to keep.
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_index_list('Answers') ORDER BY name";
        Assert.Equal(["IX_Answers_QuestionId_UpdateId"], Strings(command));
        command.CommandText = "SELECT \"table\" || '.' || \"to\" FROM pragma_foreign_key_list('Answers')";
        Assert.Equal(["Questions.Id"], Strings(command));

        // /forget deletes each of a participant's answers by its question and update id: a look-up, not a scan.
        command.CommandText = "EXPLAIN QUERY PLAN " + BatchCommands.ForgetAnswerSql.Replace("@question", "1").Replace("@update", "2").Replace("@id", "3");
        Assert.Contains("SEARCH Answers USING INDEX IX_Answers_QuestionId_UpdateId (QuestionId=? AND UpdateId=?)", Strings(command, column: 3));
    }

    [Fact]
    public void ParticipantsGoInArrivalOrderWithNothingKeyedByTheirTelegramId()
    {
        // A new participant's row appends: a key or index on the Telegram id would put each newcomer of a batch on a page
        // of its own. A later migration that rebuilds the table from the model would bring the key back: this catches it.
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_index_list('Participants')";
        Assert.Empty(Strings(command));
        command.CommandText = "SELECT name FROM pragma_table_info('Participants') WHERE pk > 0";
        Assert.Empty(Strings(command));

        using (var db = NewContext())
        {
            foreach (var id in new[] { 7_000_000_003L, 5_000_000_001L, 6_000_000_002L })
            {
                db.Participants.Add(new Participant { Id = id, FirstName = $"P{id}", CreatedAt = T0 });
                db.SaveChanges();
            }
        }
        command.CommandText = "SELECT Id FROM Participants ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read()) ids.Add(reader.GetInt64(0));
        Assert.Equal([7_000_000_003L, 5_000_000_001L, 6_000_000_002L], ids);
    }

    [Fact]
    public void TheHotPathsTablesAreNumberedWithoutAutoincrement()
    {
        // AUTOINCREMENT writes sqlite_sequence at every insert: a page more in every commit. EF Core puts it back when a
        // migration rebuilds a table from the model, which still has it: this catches that.
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND instr(sql, 'AUTOINCREMENT') > 0 ORDER BY name";
        var numbered = Strings(command);
        Assert.Contains("Events", numbered); // the query sees AUTOINCREMENT where it is
        Assert.DoesNotContain("OutboxMessages", numbered);
        Assert.DoesNotContain("Answers", numbered);
        Assert.DoesNotContain("Participants", numbered);
        Assert.DoesNotContain("ProcessedUpdates", numbered);
    }

    static List<string> Strings(SqliteCommand command, int column = 0)
    {
        var values = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) values.Add(reader.GetString(column));
        return values;
    }

    [Fact]
    public void AQuestionsChannelPostsAreFoundThroughAnIndexThatHoldsNoReplies()
    {
        var (questionId, _) = Seed();
        using (var db = NewContext())
        {
            db.OutboxMessages.Add(new OutboxMessage { ChatId = "987654321", Purpose = OutboxPurpose.Reply, CreatedAt = T0, NotBefore = T0 });
            db.OutboxMessages.Add(new OutboxMessage { ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelAnnouncement, QuestionId = questionId, CreatedAt = T0, NotBefore = T0 });
            db.SaveChanges();
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM OutboxMessages INDEXED BY IX_OutboxMessages_QuestionId WHERE QuestionId IS NOT NULL";
        Assert.Equal(1L, command.ExecuteScalar());

        // The live page asks every second while a post waits: it must not scan an outbox of a million replies.
        using (var db = NewContext())
        {
            var lines = ChannelPostState.Query(db, questionId).ToQueryString().Split('\n');
            foreach (var set in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
            {
                var parts = set.Split(' ');
                command.Parameters.AddWithValue(parts[2], parts[3]);
            }
            command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith('.')));
        }
        using var plan = command.ExecuteReader();
        Assert.True(plan.Read());
        Assert.Contains("USING INDEX IX_OutboxMessages_QuestionId", plan.GetString(3));
    }

    [Fact]
    public void WaitingMessagesGoOutChannelAndToastsFirstThenPromptsThenTheOtherRepliesThenNewsThatCanWait()
    {
        // A crowd's acknowledgements wait their turn; the next question's prompts and posts pass them, and they pass the
        // news of a reopened question to its late answerers.
        using (var db = NewContext())
        {
            OutboxMessage Row(string chat, int priority, int secondsAgo = 0) => new()
            {
                Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.Reply, Priority = priority, ChatId = chat, Text = chat,
                CreatedAt = T0, NotBefore = T0.AddSeconds(-secondsAgo),
            };
            db.OutboxMessages.AddRange(
                Row("reopened-news", OutboxMessage.LowPriority, 40),
                Row("ack-1", OutboxMessage.NormalPriority, 30), Row("ack-2", OutboxMessage.NormalPriority, 20),
                Row("prompt-1", OutboxMessage.PromptPriority, 10), Row("ack-3", OutboxMessage.NormalPriority, 5),
                Row("channel", OutboxMessage.UrgentPriority), Row("prompt-2", OutboxMessage.PromptPriority));
            var later = Row("not-yet", OutboxMessage.UrgentPriority);
            later.NotBefore = T0.AddSeconds(5);
            db.OutboxMessages.Add(later);
            db.SaveChanges();
        }

        using var read = NewContext();
        Assert.Equal(["channel", "not-yet", "prompt-1", "prompt-2", "ack-1", "ack-2", "ack-3", "reopened-news"],
            OutboxMessage.Priorities.SelectMany(priority => OutboxSender.Waiting(read, priority, after: 0).Select(m => m.ChatId).ToList()).ToList());
    }

    [Fact]
    public async Task StoredUpdateIdsBelongToOneBotAndAnotherBotsAreForgotten()
    {
        using (var db = NewContext())
        {
            db.ProcessedUpdates.AddRange(new ProcessedUpdate { UpdateId = 812345001, ProcessedAt = T0 }, new ProcessedUpdate { UpdateId = 812345002, ProcessedAt = T0 });
            db.SaveChanges();
        }
        int Stored() { using var db = NewContext(); return db.ProcessedUpdates.Count(); }
        long Bot() { using var db = NewContext(); return db.UpdateSources.Single().BotId; }

        using (var db = NewContext())
        {
            // The rehearsal bot's messages: one sent, one still waiting when it stopped.
            db.OutboxMessages.AddRange(
                new OutboxMessage { ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelResults, Status = OutboxStatus.Sent, CreatedAt = T0, NotBefore = T0 },
                new OutboxMessage { ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelResults, Status = OutboxStatus.Pending, CreatedAt = T0, NotBefore = T0 });
            db.SaveChanges();
        }
        (int, int) Outbox() { using var db = NewContext(); return (db.OutboxMessages.Count(m => m.Status == OutboxStatus.Sent), db.OutboxMessages.Count(m => m.Status == OutboxStatus.Pending)); }

        // A database from before the record: what it holds is taken to be the bot starting now.
        await using (var db = NewContext()) Assert.Equal((0, 0), await UpdateSource.AdoptAsync(db, 111, T0));
        Assert.Equal((2, 111L, (1, 1)), (Stored(), Bot(), Outbox()));
        await using (var db = NewContext()) Assert.Equal((0, 0), await UpdateSource.AdoptAsync(db, 111, T0.AddHours(1)));
        Assert.Equal((2, 111L, (1, 1)), (Stored(), Bot(), Outbox()));

        // Another bot: its update ids, and what it had not sent, are not this bot's.
        await using (var db = NewContext()) Assert.Equal((2, 1), await UpdateSource.AdoptAsync(db, 222, T0.AddHours(2)));
        Assert.Equal((0, 222L, (1, 0)), (Stored(), Bot(), Outbox()));
    }

    [Fact]
    public void TheDatabaseRejectsARepeatedUpdateId()
    {
        using (var db = NewContext())
        {
            db.ProcessedUpdates.Add(new ProcessedUpdate { UpdateId = 812345003, ProcessedAt = T0 });
            db.SaveChanges();
        }
        using (var db = NewContext())
        {
            db.ProcessedUpdates.Add(new ProcessedUpdate { UpdateId = 812345003, ProcessedAt = T0.AddSeconds(1) });
            var e = Assert.Throws<DbUpdateException>(() => db.SaveChanges());
            Assert.Contains("UNIQUE", e.InnerException?.Message);
        }
        using (var db = NewContext())
            Assert.Equal(T0, Assert.Single(db.ProcessedUpdates).ProcessedAt);
    }

    [Fact]
    public void TheDatabaseRejectsTwoQuestionsWithTheSameCode()
    {
        Seed();
        using var db = NewContext();
        var e = db.Events.Single();
        db.Questions.Add(new Question { EventId = e.Id, Prompt = "again?", Code = "Q7kP2x", Position = 2 });
        Assert.Throws<DbUpdateException>(() => db.SaveChanges());
    }

    [Fact]
    public async Task ANewQuestionCodeIsNotTheCodeOfAnyStoredQuestion()
    {
        Seed();
        await using var db = NewContext();
        var code = await QuestionCodes.NewUniqueAsync(db, CancellationToken.None);
        Assert.True(Tokens.IsValidQuestionCode(code));
        Assert.NotEqual("Q7kP2x", code);
    }

    [Fact]
    public void TheSqlServerIdempotentScriptGeneratesWithoutAServer()
    {
        var options = new DbContextOptionsBuilder<SqlServerQuizDbContext>()
            .UseSqlServer("Server=nowhere.invalid;Database=CodeQuiz;User Id=x;Password=y;TrustServerCertificate=True").Options;
        using var db = new SqlServerQuizDbContext(options);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("CREATE TABLE [Answers]", script);
        Assert.Contains("IF NOT EXISTS", script);
        Assert.Contains("DROP INDEX [IX_Answers_ParticipantId_QuestionId]", script);
        Assert.Contains("CONSTRAINT [PK_ProcessedUpdates] PRIMARY KEY ([UpdateId])", script);
    }
}
