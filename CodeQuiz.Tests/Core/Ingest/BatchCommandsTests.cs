using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Tests.Core.Ingest;

/// <summary>
/// The batch writer's two statement sets — SQLite's native one and the ADO.NET one SQL Server uses — write the
/// same rows, read back through EF Core as the rest of the app reads them.
/// </summary>
public sealed class BatchCommandsTests : IAsyncLifetime
{
    static readonly DateTimeOffset T0 = new(2026, 10, 15, 10, 0, 0, 123, TimeSpan.Zero);

    readonly SqliteConnection _connection = new("Data Source=:memory:");
    DbContextOptions<SqliteQuizDbContext> _options = null!;
    int _questionId;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _options = new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite(_connection).Options;
        await using var db = new SqliteQuizDbContext(_options);
        await db.Database.MigrateAsync();
        var e = new QuizEvent { Name = "Code Week", CreatedAt = T0 };
        var q = new Question { Prompt = "Which loop?", Code = "Q7kP2xLm9A", Position = 1, Kind = QuestionKind.MultipleChoice, Options = ["for", "while"] };
        e.Questions.Add(q);
        db.Events.Add(e);
        await db.SaveChangesAsync();
        _questionId = q.Id;
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    BatchCommands Commands(string kind) => kind == "native"
        ? new SqliteBatchCommands(_connection)
        : new AdoBatchCommands(_connection, sqlite: true);

    async Task InTransactionAsync(BatchCommands commands, Func<Task> write)
    {
        await using var transaction = await _connection.BeginTransactionAsync();
        commands.Enlist(transaction);
        await write();
        await transaction.CommitAsync();
    }

    [Theory]
    [InlineData("native")]
    [InlineData("ado")]
    public async Task EveryWriteOfTheHotPathStoresWhatTheAppReadsBack(string kind)
    {
        await using var commands = Commands(kind);
        await commands.PrepareAsync(default);
        var giulia = new Participant
        {
            Id = 812345001, FirstName = "Giulia <b>", LastName = null, Username = "giulia_dev", LanguageCode = "it",
            Registration = RegistrationStep.AwaitingHeadCount, TeamName = "Ragazze & Python 🐍", CurrentQuestionId = _questionId, CreatedAt = T0,
        };
        var marco = new Participant { Id = 812345002, FirstName = "Marco", LastName = "Rossi", CreatedAt = T0.AddSeconds(1) };
        bool first = false, repeat = true;
        await InTransactionAsync(commands, async () =>
        {
            first = await commands.TryMarkProcessedAsync(900_000_001, T0, default);
            repeat = await commands.TryMarkProcessedAsync(900_000_001, T0.AddSeconds(5), default);
            await commands.SaveParticipantAsync(giulia, isNew: true, default);
            await commands.SaveParticipantAsync(marco, isNew: true, default);
            await commands.InsertAnswerAsync(new Answer
            {
                QuestionId = _questionId, ParticipantId = giulia.Id, UpdateId = 900_000_001, Text = "while", OptionIndex = 1,
                IsCorrect = false, IsLate = true, AnsweredAt = T0.AddSeconds(2),
            }, default);
            await commands.InsertAnswerAsync(new Answer
            {
                QuestionId = _questionId, ParticipantId = marco.Id, UpdateId = 900_000_002, Text = "for ✓", IsCorrect = true, AnsweredAt = T0.AddSeconds(3),
            }, default);
            await commands.InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.EditMessageReplyMarkup, Purpose = OutboxPurpose.Reply, Priority = OutboxMessage.NormalPriority,
                ChatId = "812345001", ReplyMarkupJson = """{"inline_keyboard":[]}""", MessageId = 77, QuestionId = _questionId,
                CreatedAt = T0, NotBefore = T0.AddSeconds(1),
            }, default);
            await commands.InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.AnswerCallbackQuery, Purpose = OutboxPurpose.CallbackAnswer, Priority = OutboxMessage.UrgentPriority,
                ChatId = "812345002", Text = "Recorded: B", CallbackQueryId = "4711", CreatedAt = T0, NotBefore = T0,
            }, default);
            await commands.InsertDeadLetterAsync(T0, "not a Telegram update", "\uFEFF{ nope \u0000 still here", default);
            // A prompt sent alike before: the row names the shared body, and its own text and keyboard are not stored.
            await commands.InsertBodyAsync(5, "<b>Question 1</b> 🐍", """{"inline_keyboard":[[{"text":"A) for","callback_data":"a:Q7kP2xLm9A:0"}]]}""", default);
            await commands.InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.Reply, Priority = OutboxMessage.PromptPriority, ChatId = "812345002",
                Text = "<b>Question 1</b> 🐍", ReplyMarkupJson = "{}", BodyId = 5, CreatedAt = T0, NotBefore = T0,
            }, default);
        });

        // Later batches: a participant's dialog moves on, a question closes, someone asks /forget.
        giulia.Registration = RegistrationStep.None;
        giulia.HeadCount = 4;
        giulia.CurrentQuestionId = null;
        giulia.LastName = "Bianchi";
        giulia.Username = ""; // empty stays empty, not NULL
        await InTransactionAsync(commands, async () =>
        {
            await commands.SaveParticipantAsync(giulia, isNew: false, default);
            await commands.SaveQuestionStateAsync(new Question
            {
                Id = _questionId, Prompt = "", Code = "Q7kP2xLm9A", State = QuestionState.Closed, OpenedAt = T0, ClosedAt = T0.AddMinutes(1),
            }, default);
            await commands.ForgetAsync(marco.Id, [(_questionId, 900_000_002)], default);
        });

        Assert.True(first);
        Assert.False(repeat);
        await using var db = new SqliteQuizDbContext(_options);
        var processed = Assert.Single(await db.ProcessedUpdates.ToListAsync());
        Assert.Equal((900_000_001L, T0), (processed.UpdateId, processed.ProcessedAt));

        var stored = Assert.Single(await db.Participants.ToListAsync());
        Assert.Equal(
            (giulia.Id, "Giulia <b>", "Bianchi", "", "it", "Ragazze & Python 🐍", (int?)4, RegistrationStep.None, (int?)null, T0),
            (stored.Id, stored.FirstName, stored.LastName, stored.Username, stored.LanguageCode, stored.TeamName, stored.HeadCount, stored.Registration, stored.CurrentQuestionId, stored.CreatedAt));

        var answer = Assert.Single(await db.Answers.ToListAsync());
        Assert.Equal(
            (_questionId, giulia.Id, 900_000_001L, "while", (int?)1, false, true, T0.AddSeconds(2)),
            (answer.QuestionId, answer.ParticipantId, answer.UpdateId, answer.Text, answer.OptionIndex, answer.IsCorrect, answer.IsLate, answer.AnsweredAt));

        var outbox = await db.OutboxMessages.OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(3, outbox.Count);
        Assert.Equal(
            (OutboxMethod.EditMessageReplyMarkup, OutboxPurpose.Reply, OutboxMessage.NormalPriority, "812345001", (string?)null, """{"inline_keyboard":[]}""", (int?)77, (string?)null, (int?)_questionId, OutboxStatus.Pending, 0, T0, T0.AddSeconds(1)),
            (outbox[0].Method, outbox[0].Purpose, outbox[0].Priority, outbox[0].ChatId, outbox[0].Text, outbox[0].ReplyMarkupJson, outbox[0].MessageId, outbox[0].CallbackQueryId, outbox[0].QuestionId, outbox[0].Status, outbox[0].Attempts, outbox[0].CreatedAt, outbox[0].NotBefore));
        Assert.Equal(
            (OutboxMethod.AnswerCallbackQuery, "Recorded: B", "4711", (int?)null, (int?)null),
            (outbox[1].Method, outbox[1].Text, outbox[1].CallbackQueryId, outbox[1].MessageId, outbox[1].QuestionId));
        Assert.Equal((OutboxMethod.SendMessage, (string?)null, (string?)null, (long?)5), (outbox[2].Method, outbox[2].Text, outbox[2].ReplyMarkupJson, outbox[2].BodyId));
        Assert.Equal((outbox[0].BodyId, outbox[1].BodyId), ((long?)null, (long?)null));
        var body = Assert.Single(await db.OutboxBodies.ToListAsync());
        Assert.Equal((5L, "<b>Question 1</b> 🐍", """{"inline_keyboard":[[{"text":"A) for","callback_data":"a:Q7kP2xLm9A:0"}]]}"""), (body.Id, body.Text, body.ReplyMarkupJson));

        var dead = Assert.Single(await db.DeadLetters.ToListAsync());
        // Kept exactly: a leading U+FEFF is not taken for a byte-order mark, a NUL does not end the text.
        Assert.Equal((T0, "not a Telegram update", "\uFEFF{ nope \u0000 still here"), (dead.ReceivedAt, dead.Reason, dead.Body));

        var question = await db.Questions.SingleAsync();
        Assert.Equal((QuestionState.Closed, (DateTimeOffset?)T0, (DateTimeOffset?)T0.AddMinutes(1)), (question.State, question.OpenedAt, question.ClosedAt));
    }

    [Theory]
    [InlineData("native")]
    [InlineData("ado")]
    public async Task ARefusedRowThrowsAndTheStatementStillWorksAfterwards(string kind)
    {
        await using var commands = Commands(kind);
        await commands.PrepareAsync(default);
        var giulia = new Participant { Id = 812345001, FirstName = "Giulia", CreatedAt = T0 };
        Answer AnswerOf(Participant p, long updateId, string text) => new()
        {
            QuestionId = _questionId, ParticipantId = p.Id, UpdateId = updateId, Text = text, AnsweredAt = T0,
        };
        await InTransactionAsync(commands, async () =>
        {
            await commands.SaveParticipantAsync(giulia, isNew: true, default);
            await commands.InsertAnswerAsync(AnswerOf(giulia, 900_000_001, "for"), default);
        });

        // The answers' foreign key refuses an answer to a question that is not there.
        await using (var transaction = await _connection.BeginTransactionAsync())
        {
            commands.Enlist(transaction);
            var e = await Assert.ThrowsAsync<SqliteException>(async () => await commands.InsertAnswerAsync(new Answer { QuestionId = _questionId + 1_000, ParticipantId = giulia.Id, UpdateId = 900_000_002, Text = "goto", AnsweredAt = T0 }, default));
            Assert.Equal(19, e.SqliteErrorCode); // SQLITE_CONSTRAINT
            Assert.Contains("FOREIGN KEY", e.Message);
        }

        var marco = new Participant { Id = 812345002, FirstName = "Marco", CreatedAt = T0 };
        await InTransactionAsync(commands, async () =>
        {
            await commands.SaveParticipantAsync(marco, isNew: true, default);
            await commands.InsertAnswerAsync(AnswerOf(marco, 900_000_003, "while"), default);
        });

        await using var db = new SqliteQuizDbContext(_options);
        Assert.Equal(["for", "while"], await db.Answers.OrderBy(a => a.UpdateId).Select(a => a.Text).ToListAsync());
    }

    [Theory]
    [InlineData("native")]
    [InlineData("ado")]
    public async Task AQuestionOpenedAgainAfterGoingBackToDraftDropsItsEarlierPostThatHadNotGoneOutAndKeepsOneThatHad(string kind)
    {
        // The channel's own limit held the question post when the host took the question back to draft, and still does
        // as it opens again in its turn: the channel must not get the first opening's post beside the new one.
        OutboxMessage Post(OutboxMethod method, OutboxPurpose purpose, string text, OutboxStatus status = OutboxStatus.Pending) => new()
        {
            Method = method, Purpose = purpose, Priority = OutboxMessage.UrgentPriority, ChatId = "@codeweek", Text = text,
            QuestionId = _questionId, Status = status, CreatedAt = T0, NotBefore = T0,
        };
        await using (var db = new SqliteQuizDbContext(_options))
        {
            db.OutboxMessages.AddRange(
                Post(OutboxMethod.SendMessage, OutboxPurpose.ChannelAnnouncement, "Question 1, at a rehearsal", OutboxStatus.Sent),
                Post(OutboxMethod.SendMessage, OutboxPurpose.ChannelAnnouncement, "Question 1: answer here"),
                Post(OutboxMethod.EditMessageText, OutboxPurpose.ChannelCount, "Question 1 was opened too early."));
            await db.SaveChangesAsync();
        }
        await using var commands = Commands(kind);
        await commands.PrepareAsync(default);

        var dropped = 0;
        await InTransactionAsync(commands, async () => dropped = await commands.DropEarlierPostAsync(_questionId, T0.AddMinutes(3), "opened again", default));

        Assert.Equal(2, dropped);
        await using var read = new SqliteQuizDbContext(_options);
        Assert.Equal([(OutboxStatus.Sent, null), (OutboxStatus.Sent, "opened again"), (OutboxStatus.Sent, "opened again")],
            (await read.OutboxMessages.OrderBy(m => m.Id).Select(m => new { m.Status, m.LastError }).ToListAsync()).Select(m => (m.Status, m.LastError)));
    }

    [Fact]
    public async Task AStartOverDeletesWithARoomyCacheAndGivesItBackAfterTheCommit()
    {
        await using var commands = Commands("native");
        await commands.PrepareAsync(default);
        var own = CacheSize();
        var marco = new Participant { Id = 812345002, FirstName = "Marco", CreatedAt = T0 };
        await InTransactionAsync(commands, async () =>
        {
            await commands.SaveParticipantAsync(marco, isNew: true, default);
            await commands.InsertAnswerAsync(new Answer { QuestionId = _questionId, ParticipantId = marco.Id, UpdateId = 900_000_001, Text = "for", AnsweredAt = T0 }, default);
        });

        int deleted = 0;
        await InTransactionAsync(commands, async () =>
        {
            commands.WidenCache();
            deleted = (await commands.StartQuestionOverAsync(_questionId, default)).Answers;
        });
        // Kept until the writer says the batch is over: narrowed before the commit, the pages would spill after all.
        Assert.Equal(-SqliteBatchCommands.StartOverCacheKiB, CacheSize());
        commands.NarrowCache();

        Assert.Equal(1, deleted);
        Assert.Equal(own, CacheSize());
        commands.NarrowCache(); // once more, as the next batch does: nothing changes
        Assert.Equal(own, CacheSize());
    }

    [Fact]
    public async Task AnOutboxRowNeverTakesAnIdGivenSinceStartEvenOnceTheNewestRowsAreDeleted()
    {
        OutboxMessage Reply(string chat) => new() { ChatId = chat, Text = "Received", CreatedAt = T0, NotBefore = T0 };
        await using (var db = new SqliteQuizDbContext(_options))
        {
            db.OutboxMessages.Add(Reply("812345000")); // from before the start: id 1
            await db.SaveChangesAsync();
        }
        await using var commands = Commands("native");
        await commands.PrepareAsync(default);
        await commands.ReadBackAsync(default); // as the writer does at start
        await InTransactionAsync(commands, async () =>
        {
            await commands.InsertOutboxAsync(Reply("812345001"), default); // 2
            await commands.InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.ChannelAnnouncement, Priority = OutboxMessage.UrgentPriority,
                ChatId = "-100123", Text = "Question 1 is open", QuestionId = _questionId, CreatedAt = T0, NotBefore = T0,
            }, default); // 3, still unsent when the question starts over
        });
        var pendingPosts = 0;
        await InTransactionAsync(commands, async () => pendingPosts = (await commands.StartQuestionOverAsync(_questionId, default)).PendingPosts);
        // The sender may have read past 3 already: a new row given 3 again would be passed over.
        await InTransactionAsync(commands, async () => await commands.InsertOutboxAsync(Reply("812345002"), default));
        await using (var db = new SqliteQuizDbContext(_options))
        {
            db.OutboxMessages.Add(Reply("812345003")); // rows the writer did not make are no obstacle either
            await db.SaveChangesAsync();
        }
        await InTransactionAsync(commands, async () => await commands.InsertOutboxAsync(Reply("812345004"), default));

        Assert.Equal(1, pendingPosts);
        await using var read = new SqliteQuizDbContext(_options);
        Assert.Equal([(1L, "812345000"), (2L, "812345001"), (4L, "812345002"), (5L, "812345003"), (6L, "812345004")],
            (await read.OutboxMessages.OrderBy(m => m.Id).Select(m => new { m.Id, m.ChatId }).ToListAsync()).Select(m => (m.Id, m.ChatId)));
    }

    long CacheSize()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size";
        return (long)command.ExecuteScalar()!;
    }
}
