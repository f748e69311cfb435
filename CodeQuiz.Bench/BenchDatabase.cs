using Microsoft.Data.Sqlite;

namespace CodeQuiz.Bench;

/// <summary>The quiz the benchmark plays: one event with three open questions.</summary>
public sealed record BenchQuiz(int EventId, BenchQuestion Text, BenchQuestion Choice, BenchQuestion Close);

public sealed record BenchQuestion(int Id, string Code, string[] Options);

/// <summary>
/// The bench's direct access to the server's SQLite file: seeding the quiz (and, for the close run, 100,000
/// answers) while the server is stopped, and reading back what was stored once it has stopped again.
/// </summary>
public static class BenchDatabase
{
    public const string Channel = "@codequiz_bench";
    public const string CorrectText = "go";
    public static readonly string[] ChoiceOptions = ["for i in range(3)", "while i < 3", "for i in 1..3", "repeat 3"];

    static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Adds the event and its questions, already open (as the console would leave them), to a migrated database.</summary>
    public static BenchQuiz SeedQuiz(string file)
    {
        using var db = Open(file);
        using var tx = db.BeginTransaction();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var eventId = Scalar(db, tx,
            "INSERT INTO Events (Name, Language, ChannelId, Scoring, PresenterToken, CreatedAt) VALUES ('Benchmark final', 'en', @channel, 0, @token, @now) RETURNING Id",
            ("@channel", Channel), ("@token", "bench" + Guid.NewGuid().ToString("N")[..19]), ("@now", now));
        BenchQuestion Add(int position, string prompt, int kind, string accepted, string[] options, int? correct, string code)
        {
            var id = Scalar(db, tx,
                "INSERT INTO Questions (EventId, Position, Prompt, Kind, AcceptedAnswers, Options, CorrectOption, ShowPromptOnPresenter, Code, State, OpenedAt, ChannelMessageId) " +
                "VALUES (@event, @position, @prompt, @kind, @accepted, @options, @correct, 0, @code, 1, @now, @channelMessage) RETURNING Id",
                ("@event", eventId), ("@position", position), ("@prompt", prompt), ("@kind", kind), ("@accepted", accepted),
                ("@options", System.Text.Json.JsonSerializer.Serialize(options)), ("@correct", (object?)correct ?? DBNull.Value),
                ("@code", code), ("@now", now), ("@channelMessage", 1 + position));
            return new BenchQuestion((int)id, code, options);
        }
        var text = Add(1, "Which language has goroutines?", 0, """["go","golang"]""", [], null, "BnchTxt7kP2");
        var choice = Add(2, "Which loop prints 3 times?", 1, "[]", ChoiceOptions, 0, "BnchMc9xQ4");
        var close = Add(3, "Which language has the borrow checker?", 0, """["rust"]""", [], null, "BnchCls3vT8");
        tx.Commit();
        return new BenchQuiz((int)eventId, text, choice, close);
    }

    /// <summary>Participants who each answered the question once (a few wrong), with their processed updates.</summary>
    public static void SeedAnswers(string file, BenchQuestion question, int count, long firstUserId, long firstUpdateId)
    {
        using var db = Open(file);
        using var tx = db.BeginTransaction();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var participant = Command(db, tx,
            "INSERT INTO Participants (Id, FirstName, LastName, Username, LanguageCode, Registration, CreatedAt) VALUES (@id, @first, @last, @user, 'en', 0, @now)",
            "@id", "@first", "@last", "@user", "@now");
        using var answer = Command(db, tx,
            "INSERT INTO Answers (QuestionId, ParticipantId, UpdateId, Text, IsCorrect, IsLate, AnsweredAt, People) VALUES (@q, @p, @u, @text, @correct, 0, @at, 1)",
            "@q", "@p", "@u", "@text", "@correct", "@at");
        using var processed = Command(db, tx, "INSERT INTO ProcessedUpdates (UpdateId, ProcessedAt) VALUES (@u, @now)", "@u", "@now");
        for (var i = 0; i < count; i++)
        {
            var user = firstUserId + i;
            var update = firstUpdateId + i;
            var correct = i % 10 != 3;
            Run(participant, user, Traffic.FirstName(user), Traffic.LastName(user), "user" + user, now);
            Run(answer, question.Id, user, update, correct ? "Rust" : "C++", correct, now - (count - i));
            Run(processed, update, now);
        }
        tx.Commit();
    }

    /// <summary>
    /// Folds the write-ahead log into the file, so that copying the .db file alone copies the whole database
    /// (a server that just stopped may leave its -wal behind).
    /// </summary>
    public static void Checkpoint(string file)
    {
        using var db = Open(file);
        using var c = db.CreateCommand();
        c.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        c.ExecuteNonQuery();
    }

    /// <summary>A copy of a checkpointed database, for one server run.</summary>
    public static string Copy(string template, string file)
    {
        File.Copy(template, file, overwrite: true);
        return file;
    }

    /// <summary>Gives the question a time limit that runs out at <paramref name="deadline"/> (so it closes itself then).</summary>
    public static void SetDeadline(string file, BenchQuestion question, DateTimeOffset deadline)
    {
        using var db = Open(file);
        using var c = db.CreateCommand();
        c.CommandText = "UPDATE Questions SET OpenedAt = @opened, TimeLimitSeconds = @limit WHERE Id = @id";
        var opened = DateTimeOffset.UtcNow;
        c.Parameters.AddWithValue("@opened", opened.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("@limit", (int)Math.Ceiling((deadline - opened).TotalSeconds));
        c.Parameters.AddWithValue("@id", question.Id);
        c.ExecuteNonQuery();
    }

    /// <summary>Every processed update_id, how often each update_id occurs in Answers, and the number of dead letters.</summary>
    public static StoredState ReadStored(string file)
    {
        using var db = Open(file);
        var processed = new HashSet<long>();
        using (var c = db.CreateCommand())
        {
            c.CommandText = "SELECT UpdateId FROM ProcessedUpdates";
            using var r = c.ExecuteReader();
            while (r.Read()) processed.Add(r.GetInt64(0));
        }
        var answers = new Dictionary<long, int>();
        using (var c = db.CreateCommand())
        {
            c.CommandText = "SELECT UpdateId FROM Answers";
            using var r = c.ExecuteReader();
            while (r.Read()) answers[r.GetInt64(0)] = answers.GetValueOrDefault(r.GetInt64(0)) + 1;
        }
        return new StoredState(processed, answers, (int)Count(db, "DeadLetters"), (int)Count(db, "Participants"), (int)Count(db, "OutboxMessages"));
    }

    /// <summary>The inline keyboard the bot stored for a chat (the multiple-choice prompt), when it went through the outbox.</summary>
    public static string? ReplyMarkupFor(string file, long chatId)
    {
        using var db = Open(file);
        using var c = db.CreateCommand();
        c.CommandText = "SELECT ReplyMarkupJson FROM OutboxMessages WHERE ChatId = @chat AND ReplyMarkupJson IS NOT NULL ORDER BY Id DESC LIMIT 1";
        c.Parameters.AddWithValue("@chat", chatId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return c.ExecuteScalar() as string;
    }

    static long Count(SqliteConnection db, string table)
    {
        using var c = db.CreateCommand();
        c.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)c.ExecuteScalar()!;
    }

    static long Scalar(SqliteConnection db, SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var c = db.CreateCommand();
        c.Transaction = tx;
        c.CommandText = sql;
        foreach (var (name, value) in parameters) c.Parameters.AddWithValue(name, value);
        return (long)c.ExecuteScalar()!;
    }

    static SqliteCommand Command(SqliteConnection db, SqliteTransaction tx, string sql, params string[] names)
    {
        var c = db.CreateCommand();
        c.Transaction = tx;
        c.CommandText = sql;
        foreach (var name in names) c.Parameters.Add(new SqliteParameter { ParameterName = name });
        c.Prepare();
        return c;
    }

    static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }
}

public sealed record StoredState(HashSet<long> ProcessedUpdateIds, Dictionary<long, int> AnswerUpdateIds, int DeadLetters, int Participants, int OutboxMessages);
