using System.Data;
using System.Data.Common;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The hot path's writes as prepared commands on the batch writer's own connection: EF Core's change
/// tracking is several times slower than this for thousands of rows a second. The SQL is plain enough
/// for both SQLite and SQL Server; only the time representation differs (see <see cref="Persistence.SqliteQuizDbContext"/>).
/// </summary>
internal sealed class SqlBatchCommands : IAsyncDisposable
{
    readonly DbConnection _connection;
    readonly bool _sqlite;
    readonly DbCommand _processed, _insertParticipant, _updateParticipant, _insertAnswer, _insertOutbox,
        _forgetAnswers, _forgetParticipant, _deadLetter, _questionState;

    public SqlBatchCommands(DbConnection connection, bool sqlite)
    {
        _connection = connection;
        _sqlite = sqlite;
        _processed = Command(
            "INSERT INTO ProcessedUpdates (UpdateId, ProcessedAt) SELECT @id, @at WHERE NOT EXISTS (SELECT 1 FROM ProcessedUpdates WHERE UpdateId = @id)",
            ("@id", DbType.Int64), ("@at", TimeType));
        const string participantColumns = "FirstName, LastName, Username, LanguageCode, TeamName, HeadCount, Registration, CurrentQuestionId, CreatedAt";
        (string, DbType)[] participantParameters =
        [
            ("@id", DbType.Int64), ("@first", DbType.String), ("@last", DbType.String), ("@user", DbType.String), ("@lang", DbType.String),
            ("@team", DbType.String), ("@heads", DbType.Int32), ("@step", DbType.Int32), ("@current", DbType.Int32), ("@created", TimeType),
        ];
        _insertParticipant = Command(
            $"INSERT INTO Participants (Id, {participantColumns}) VALUES (@id, @first, @last, @user, @lang, @team, @heads, @step, @current, @created)",
            participantParameters);
        _updateParticipant = Command(
            "UPDATE Participants SET FirstName = @first, LastName = @last, Username = @user, LanguageCode = @lang, TeamName = @team, " +
            "HeadCount = @heads, Registration = @step, CurrentQuestionId = @current WHERE Id = @id",
            participantParameters.Where(p => p.Item1 != "@created").ToArray());
        _insertAnswer = Command(
            "INSERT INTO Answers (QuestionId, ParticipantId, UpdateId, Text, OptionIndex, IsCorrect, IsLate, AnsweredAt) " +
            "VALUES (@question, @participant, @update, @text, @option, @correct, @late, @at)",
            ("@question", DbType.Int32), ("@participant", DbType.Int64), ("@update", DbType.Int64), ("@text", DbType.String),
            ("@option", DbType.Int32), ("@correct", DbType.Boolean), ("@late", DbType.Boolean), ("@at", TimeType));
        _insertOutbox = Command(
            "INSERT INTO OutboxMessages (Method, Purpose, Priority, ChatId, Text, ReplyMarkupJson, MessageId, CallbackQueryId, QuestionId, Status, Attempts, CreatedAt, NotBefore) " +
            "VALUES (@method, @purpose, @priority, @chat, @text, @markup, @message, @callback, @question, 0, 0, @created, @notBefore)",
            ("@method", DbType.Int32), ("@purpose", DbType.Int32), ("@priority", DbType.Int32), ("@chat", DbType.String), ("@text", DbType.String),
            ("@markup", DbType.String), ("@message", DbType.Int32), ("@callback", DbType.String), ("@question", DbType.Int32),
            ("@created", TimeType), ("@notBefore", TimeType));
        _forgetAnswers = Command("DELETE FROM Answers WHERE ParticipantId = @id", ("@id", DbType.Int64));
        _forgetParticipant = Command("DELETE FROM Participants WHERE Id = @id", ("@id", DbType.Int64));
        _deadLetter = Command("INSERT INTO DeadLetters (ReceivedAt, Reason, Body) VALUES (@at, @reason, @body)",
            ("@at", TimeType), ("@reason", DbType.String), ("@body", DbType.String));
        _questionState = Command("UPDATE Questions SET State = @state, OpenedAt = @opened, ClosedAt = @closed WHERE Id = @id",
            ("@id", DbType.Int32), ("@state", DbType.Int32), ("@opened", TimeType), ("@closed", TimeType));
    }

    DbType TimeType => _sqlite ? DbType.Int64 : DbType.DateTimeOffset;

    object Time(DateTimeOffset value) => _sqlite ? value.ToUnixTimeMilliseconds() : value;
    object Time(DateTimeOffset? value) => value is { } v ? Time(v) : DBNull.Value;
    static object Db(object? value) => value ?? DBNull.Value;

    DbCommand Command(string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            if (type == DbType.String) parameter.Size = -1;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    IEnumerable<DbCommand> All => [_processed, _insertParticipant, _updateParticipant, _insertAnswer, _insertOutbox, _forgetAnswers, _forgetParticipant, _deadLetter, _questionState];

    public void Enlist(DbTransaction transaction)
    {
        foreach (var command in All) command.Transaction = transaction;
    }

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        foreach (var command in All) await command.PrepareAsync(cancellationToken);
    }

    static Task<int> RunAsync(DbCommand command, CancellationToken cancellationToken) => command.ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Records the update_id; false when it was already stored (a repeat Telegram sent again).</summary>
    public async Task<bool> TryMarkProcessedAsync(long updateId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _processed.Parameters[0].Value = updateId;
        _processed.Parameters[1].Value = Time(at);
        return await RunAsync(_processed, cancellationToken) == 1;
    }

    public Task<int> SaveParticipantAsync(Participant p, bool isNew, CancellationToken cancellationToken)
    {
        var command = isNew ? _insertParticipant : _updateParticipant;
        var values = command.Parameters;
        values["@id"].Value = p.Id;
        values["@first"].Value = p.FirstName;
        values["@last"].Value = Db(p.LastName);
        values["@user"].Value = Db(p.Username);
        values["@lang"].Value = Db(p.LanguageCode);
        values["@team"].Value = Db(p.TeamName);
        values["@heads"].Value = Db(p.HeadCount);
        values["@step"].Value = (int)p.Registration;
        values["@current"].Value = Db(p.CurrentQuestionId);
        if (isNew) values["@created"].Value = Time(p.CreatedAt);
        return RunAsync(command, cancellationToken);
    }

    public Task<int> InsertAnswerAsync(Answer a, CancellationToken cancellationToken)
    {
        var values = _insertAnswer.Parameters;
        values[0].Value = a.QuestionId;
        values[1].Value = a.ParticipantId;
        values[2].Value = a.UpdateId;
        values[3].Value = a.Text;
        values[4].Value = Db(a.OptionIndex);
        values[5].Value = a.IsCorrect;
        values[6].Value = a.IsLate;
        values[7].Value = Time(a.AnsweredAt);
        return RunAsync(_insertAnswer, cancellationToken);
    }

    public Task<int> InsertOutboxAsync(OutboxMessage m, CancellationToken cancellationToken)
    {
        var values = _insertOutbox.Parameters;
        values[0].Value = (int)m.Method;
        values[1].Value = (int)m.Purpose;
        values[2].Value = m.Priority;
        values[3].Value = m.ChatId;
        values[4].Value = Db(m.Text);
        values[5].Value = Db(m.ReplyMarkupJson);
        values[6].Value = Db(m.MessageId);
        values[7].Value = Db(m.CallbackQueryId);
        values[8].Value = Db(m.QuestionId);
        values[9].Value = Time(m.CreatedAt);
        values[10].Value = Time(m.NotBefore);
        return RunAsync(_insertOutbox, cancellationToken);
    }

    public async Task ForgetAsync(long participantId, CancellationToken cancellationToken)
    {
        _forgetAnswers.Parameters[0].Value = participantId;
        _forgetParticipant.Parameters[0].Value = participantId;
        await RunAsync(_forgetAnswers, cancellationToken);
        await RunAsync(_forgetParticipant, cancellationToken);
    }

    public Task<int> InsertDeadLetterAsync(DateTimeOffset at, string reason, string body, CancellationToken cancellationToken)
    {
        _deadLetter.Parameters[0].Value = Time(at);
        _deadLetter.Parameters[1].Value = reason;
        _deadLetter.Parameters[2].Value = body;
        return RunAsync(_deadLetter, cancellationToken);
    }

    public Task<int> SaveQuestionStateAsync(Question q, CancellationToken cancellationToken)
    {
        var values = _questionState.Parameters;
        values[0].Value = q.Id;
        values[1].Value = (int)q.State;
        values[2].Value = Time(q.OpenedAt);
        values[3].Value = Time(q.ClosedAt);
        return RunAsync(_questionState, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in All) await command.DisposeAsync();
    }
}
