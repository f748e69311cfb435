using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The batch writer's statements on SQLite's native API: prepared once, then bound by position, stepped and
/// reset for every row. ADO.NET's command costs more than the insert itself at this rate (a data reader per call,
/// parameters looked up by name each time). Runs inside the writer's transaction on the same connection.
/// Times are unix milliseconds, as <see cref="Persistence.SqliteQuizDbContext"/> stores them.
/// </summary>
internal sealed class SqliteBatchCommands : BatchCommands
{
    /// <summary>SQLite has an upsert: one B-tree probe instead of a subquery and an insert.</summary>
    const string MarkProcessedSqliteSql = "INSERT INTO ProcessedUpdates (UpdateId, ProcessedAt) VALUES (@id, @at) ON CONFLICT DO NOTHING";

    /// <summary>
    /// The page cache, in KiB, while a start over deletes: a million answers of an event ran 24 s in SQLite's default
    /// 2 MB (pages spilled to the log and written again), 7 s in this. Only what the deletion touches is taken.
    /// </summary>
    internal const int StartOverCacheKiB = 64 * 1024;

    /// <summary>
    /// The outbox's ids are plain rowids (no AUTOINCREMENT: see the OutboxAndAnswersWithoutAutoincrement migration), which
    /// SQLite would give again once the newest rows are deleted (a start over deletes a question's unsent post). The sender
    /// reads waiting rows from above the ids it has passed, and the bot's adoption drops the rows up to the newest at start:
    /// a row given an old id again could be passed over or dropped. So a row's id is above every id given since start too.
    /// </summary>
    const string InsertOutboxNumberedSql =
        "INSERT INTO OutboxMessages (Id, Method, Purpose, Priority, ChatId, Text, ReplyMarkupJson, MessageId, CallbackQueryId, QuestionId, TimedQuestionId, BodyId, Status, Attempts, CreatedAt, NotBefore) " +
        "VALUES (max(@floor, (SELECT ifnull(max(Id), 0) + 1 FROM OutboxMessages)), @method, @purpose, @priority, @chat, @text, @markup, @message, @callback, @question, @timed, @body, 0, 0, @created, @notBefore)";

    readonly SqliteConnection _connection;
    /// <summary>The lowest id the next outbox row may have: above the newest at start and every one given since.</summary>
    long _outboxFloor = 1;
    long _cacheSize; // the connection's own
    bool _widened;
    /// <summary>
    /// Each participant's rowid by Telegram id. SQLite's participants have no key on the Telegram id (a new participant's
    /// row appends: see the ParticipantsInArrivalOrder migration), so the writer finds a row by its rowid. Read at start and
    /// whenever the writer reads the database back, kept as rows are inserted and deleted.
    /// </summary>
    readonly Dictionary<long, long> _rows = [];
    Statement _processed = null!, _insertParticipant = null!, _updateParticipant = null!, _insertAnswer = null!, _insertOutbox = null!, _insertBody = null!,
        _forgetAnswer = null!, _forgetParticipant = null!, _forgetLeftOut = null!, _deadLetter = null!, _questionState = null!, _startOverAnswers = null!, _startOverPosts = null!, _leftOut = null!, _extraSeconds = null!, _answersOnTime = null!, _earlierPostDropped = null!;

    public SqliteBatchCommands(SqliteConnection connection) => _connection = connection;

    sqlite3 Handle => _connection.Handle ?? throw new InvalidOperationException("The batch writer's connection is not open.");

    IEnumerable<Statement?> All =>
        [_processed, _insertParticipant, _updateParticipant, _insertAnswer, _insertOutbox, _insertBody, _forgetAnswer, _forgetParticipant, _forgetLeftOut, _deadLetter, _questionState, _startOverAnswers, _startOverPosts, _leftOut, _extraSeconds, _answersOnTime, _earlierPostDropped];

    public override Task PrepareAsync(CancellationToken cancellationToken)
    {
        var db = Handle;
        using (var cacheSize = _connection.CreateCommand())
        {
            cacheSize.CommandText = "PRAGMA cache_size";
            _cacheSize = (long)cacheSize.ExecuteScalar()!;
        }
        _processed = new Statement(db, MarkProcessedSqliteSql, "@id", "@at");
        _insertParticipant = new Statement(db, InsertParticipantSql, "@id", "@first", "@last", "@user", "@lang", "@team", "@heads", "@step", "@current", "@created");
        _updateParticipant = new Statement(db, ByRow(UpdateParticipantSql), "@row", "@first", "@last", "@user", "@lang", "@team", "@heads", "@step", "@current");
        _insertAnswer = new Statement(db, InsertAnswerSql, "@question", "@participant", "@update", "@text", "@option", "@correct", "@late", "@at", "@people");
        _insertOutbox = new Statement(db, InsertOutboxNumberedSql, "@floor",
            "@method", "@purpose", "@priority", "@chat", "@text", "@markup", "@message", "@callback", "@question", "@timed", "@body", "@created", "@notBefore");
        _insertBody = new Statement(db, InsertBodySql, "@id", "@text", "@markup");
        _forgetAnswer = new Statement(db, ForgetAnswerSql, "@question", "@update", "@id");
        _forgetParticipant = new Statement(db, ByRow(ForgetParticipantSql), "@row");
        _forgetLeftOut = new Statement(db, ByRow(ForgetLeftOutSql), "@row");
        _deadLetter = new Statement(db, DeadLetterSql, "@at", "@reason", "@body");
        _questionState = new Statement(db, QuestionStateSql, "@id", "@state", "@opened", "@closed");
        _startOverAnswers = new Statement(db, StartOverAnswersSql, "@id");
        _startOverPosts = new Statement(db, StartOverPostsSql, "@id", "@status");
        _leftOut = new Statement(db, ByRow(LeftOutSql), "@row", "@at");
        _extraSeconds = new Statement(db, ExtraSecondsSql, "@id", "@extra");
        _answersOnTime = new Statement(db, AnswersOnTimeSql, "@id");
        _earlierPostDropped = new Statement(db, EarlierPostDroppedSql, "@id", "@at", "@note", "@sent", "@pending", "@purpose", "@announcement");
        return Task.CompletedTask;
    }

    /// <summary>Nothing to do: the statements run on the connection, and the connection is in the transaction.</summary>
    public override void Enlist(DbTransaction transaction)
    {
    }

    public override ValueTask<bool> TryMarkProcessedAsync(long updateId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_processed.Long(0, updateId).Time(1, at).Run() == 1);

    public override ValueTask SaveParticipantAsync(Participant p, bool isNew, CancellationToken cancellationToken)
    {
        var s = isNew ? _insertParticipant : _updateParticipant;
        s.Long(0, isNew ? p.Id : RowOf(p.Id)).Text(1, p.FirstName).Text(2, p.LastName).Text(3, p.Username).Text(4, p.LanguageCode).Text(5, p.TeamName)
            .Long(6, p.HeadCount).Long(7, (int)p.Registration).Long(8, p.CurrentQuestionId);
        if (isNew) s.Time(9, p.CreatedAt);
        s.Run();
        if (isNew) _rows[p.Id] = raw.sqlite3_last_insert_rowid(Handle);
        return ValueTask.CompletedTask;
    }

    public override ValueTask InsertAnswerAsync(Answer a, CancellationToken cancellationToken)
    {
        _insertAnswer.Long(0, a.QuestionId).Long(1, a.ParticipantId).Long(2, a.UpdateId).Text(3, a.Text).Long(4, a.OptionIndex)
            .Long(5, a.IsCorrect ? 1 : 0).Long(6, a.IsLate ? 1 : 0).Time(7, a.AnsweredAt).Long(8, a.People).Run();
        return ValueTask.CompletedTask;
    }

    public override ValueTask InsertOutboxAsync(OutboxMessage m, CancellationToken cancellationToken)
    {
        _insertOutbox.Long(0, _outboxFloor).Long(1, (int)m.Method).Long(2, (int)m.Purpose).Long(3, m.Priority).Text(4, m.ChatId)
            .Text(5, m.BodyId is null ? m.Text : null).Text(6, m.BodyId is null ? m.ReplyMarkupJson : null).Long(7, m.MessageId)
            .Text(8, m.CallbackQueryId).Long(9, m.QuestionId).Long(10, m.TimedQuestionId).Long(11, m.BodyId).Time(12, m.CreatedAt).Time(13, m.NotBefore).Run();
        _outboxFloor = raw.sqlite3_last_insert_rowid(Handle) + 1;
        return ValueTask.CompletedTask;
    }

    public override ValueTask InsertBodyAsync(long id, string? text, string? replyMarkupJson, CancellationToken cancellationToken)
    {
        _insertBody.Long(0, id).Text(1, text).Text(2, replyMarkupJson).Run();
        return ValueTask.CompletedTask;
    }

    public override ValueTask ForgetAsync(long participantId, IReadOnlyList<(int QuestionId, long UpdateId)> answers, CancellationToken cancellationToken)
    {
        foreach (var (questionId, updateId) in answers)
            _forgetAnswer.Long(0, questionId).Long(1, updateId).Long(2, participantId).Run();
        if (!_rows.TryGetValue(participantId, out var row)) return ValueTask.CompletedTask; // never stored
        if (_forgetParticipant.Long(0, row).Run() == 1)
            _rows.Remove(participantId);
        else
            _forgetLeftOut.Long(0, row).Run(); // left out, and so kept
        return ValueTask.CompletedTask;
    }

    public override ValueTask InsertDeadLetterAsync(DateTimeOffset at, string reason, string body, CancellationToken cancellationToken)
    {
        _deadLetter.Time(0, at).Text(1, reason).Text(2, body).Run();
        return ValueTask.CompletedTask;
    }

    public override ValueTask SaveQuestionStateAsync(Question q, CancellationToken cancellationToken)
    {
        _questionState.Long(0, q.Id).Long(1, (int)q.State).Time(2, q.OpenedAt).Time(3, q.ClosedAt).Run();
        return ValueTask.CompletedTask;
    }

    public override ValueTask SaveExtraSecondsAsync(Question q, CancellationToken cancellationToken)
    {
        _extraSeconds.Long(0, q.Id).Long(1, q.ExtraSeconds).Run();
        return ValueTask.CompletedTask;
    }

    public override ValueTask SaveLeftOutAsync(long participantId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        _leftOut.Long(0, RowOf(participantId)).Time(1, at).Run();
        return ValueTask.CompletedTask;
    }

    public override ValueTask ReadBackAsync(CancellationToken cancellationToken)
    {
        _rows.Clear();
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT rowid, Id FROM Participants";
        using (var rows = command.ExecuteReader())
            while (rows.Read())
                _rows[rows.GetInt64(1)] = rows.GetInt64(0);
        command.CommandText = "SELECT ifnull(max(Id), 0) + 1 FROM OutboxMessages";
        _outboxFloor = Math.Max(_outboxFloor, (long)command.ExecuteScalar()!);
        return ValueTask.CompletedTask;
    }

    long RowOf(long participantId) => _rows.TryGetValue(participantId, out var row)
        ? row
        : throw new InvalidOperationException($"The batch writer knows no participants' row for Telegram user {participantId}.");

    /// <summary>A statement on one participant by Telegram id, made to find the row by its rowid instead.</summary>
    static string ByRow(string sql) =>
        sql.Replace("WHERE Id = @id", "WHERE rowid = @row", StringComparison.Ordinal) is var byRow && byRow != sql
            ? byRow
            : throw new ArgumentException($"Not a statement on one participant by id: {sql}", nameof(sql));

    public override ValueTask<int> AnswersOnTimeAsync(int questionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_answersOnTime.Long(0, questionId).Run());

    public override ValueTask<int> DropEarlierPostAsync(int questionId, DateTimeOffset at, string note, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_earlierPostDropped.Long(0, questionId).Time(1, at).Text(2, note).Long(3, (int)OutboxStatus.Sent)
            .Long(4, (int)OutboxStatus.Pending).Long(5, (int)OutboxPurpose.ChannelCount).Long(6, (int)OutboxPurpose.ChannelAnnouncement).Run());

    public override ValueTask<(int Answers, int PendingPosts, int FailedPosts)> StartQuestionOverAsync(int questionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult((
            _startOverAnswers.Long(0, questionId).Run(),
            _startOverPosts.Long(0, questionId).Long(1, (int)OutboxStatus.Pending).Run(),
            _startOverPosts.Long(0, questionId).Long(1, (int)OutboxStatus.Failed).Run()));

    public override void WidenCache()
    {
        if (_widened) return;
        _widened = true;
        Pragma($"PRAGMA cache_size = -{StartOverCacheKiB}");
    }

    public override void NarrowCache()
    {
        if (!_widened) return;
        _widened = false;
        Pragma($"PRAGMA cache_size = {_cacheSize}");
        Pragma("PRAGMA shrink_memory");
    }

    void Pragma(string sql)
    {
        if (raw.sqlite3_exec(Handle, sql) is var rc && rc != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(Handle).utf8_to_string(), rc);
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var statement in All) statement?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// One prepared statement; values are bound by the position of their name in the constructor's list.
    /// Binding, stepping and resetting call SQLite directly with the statement's pointer, which the handles keep alive:
    /// SQLitePCL's calls take and release a reference on the handle each time, about half of a bind's cost.
    /// </summary>
    sealed class Statement : IDisposable
    {
        readonly sqlite3 _db;
        readonly sqlite3_stmt _statement;
        readonly IntPtr _dbPointer, _pointer;
        readonly int[] _slots;
        byte[] _utf8 = new byte[1024];

        public Statement(sqlite3 db, string sql, params string[] names)
        {
            _db = db;
            Check(raw.sqlite3_prepare_v2(db, sql, out _statement));
            _dbPointer = db.DangerousGetHandle();
            _pointer = _statement.DangerousGetHandle();
            _slots = names.Select(name => raw.sqlite3_bind_parameter_index(_statement, name) is > 0 and var slot
                ? slot
                : throw new InvalidOperationException($"The statement has no parameter {name}: {sql}")).ToArray();
        }

        public Statement Long(int position, long value)
        {
            Native.sqlite3_bind_int64(_pointer, _slots[position], value);
            return this;
        }

        public Statement Long(int position, long? value) =>
            value is { } v ? Long(position, v) : Null(position);

        public Statement Time(int position, DateTimeOffset value) => Long(position, value.ToUnixTimeMilliseconds());

        public Statement Time(int position, DateTimeOffset? value) =>
            value is { } v ? Time(position, v) : Null(position);

        /// <summary>
        /// Binds UTF-8 with its length, as Microsoft.Data.Sqlite does: SQLite's UTF-16 entry point would take a leading
        /// U+FEFF for a byte-order mark and drop it, and text is kept exactly as it came.
        /// </summary>
        public Statement Text(int position, string? value)
        {
            if (value is null) return Null(position);
            var size = value.Length <= 512 ? Encoding.UTF8.GetMaxByteCount(value.Length) : Encoding.UTF8.GetByteCount(value);
            if (_utf8.Length < size) _utf8 = new byte[size];
            var length = Encoding.UTF8.GetBytes(value, _utf8);
            // A pointer to the array even when it is empty: a null pointer would bind NULL, not "". SQLite copies the bytes.
            Native.sqlite3_bind_text(_pointer, _slots[position], ref MemoryMarshal.GetArrayDataReference(_utf8), length, Native.Transient);
            return this;
        }

        Statement Null(int position)
        {
            Native.sqlite3_bind_null(_pointer, _slots[position]);
            return this;
        }

        /// <summary>Runs the statement and returns the rows it changed.</summary>
        public int Run()
        {
            var rc = Native.sqlite3_step(_pointer);
            if (rc != raw.SQLITE_DONE)
            {
                var error = new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
                raw.sqlite3_reset(_statement);
                throw error;
            }
            Native.sqlite3_reset(_pointer);
            return Native.sqlite3_changes(_dbPointer);
        }

        void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
                throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        }

        public void Dispose() => _statement.Dispose();
    }

    /// <summary>The few SQLite functions the statements call for every row, from the library SQLitePCL loaded.</summary>
    static class Native
    {
        const string Library = "e_sqlite3";

        /// <summary>SQLITE_TRANSIENT: SQLite copies the value before the call returns.</summary>
        public static readonly IntPtr Transient = new(-1);

        [DllImport(Library, ExactSpelling = true)]
        public static extern int sqlite3_bind_int64(IntPtr statement, int index, long value);

        [DllImport(Library, ExactSpelling = true)]
        public static extern int sqlite3_bind_null(IntPtr statement, int index);

        [DllImport(Library, ExactSpelling = true)]
        public static extern int sqlite3_bind_text(IntPtr statement, int index, ref byte utf8, int length, IntPtr destructor);

        [DllImport(Library, ExactSpelling = true)]
        public static extern int sqlite3_step(IntPtr statement);

        [DllImport(Library, ExactSpelling = true)]
        public static extern int sqlite3_reset(IntPtr statement);

        [DllImport(Library, ExactSpelling = true)]
        public static extern int sqlite3_changes(IntPtr db);
    }
}
