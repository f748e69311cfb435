using System.Data;
using System.Data.Common;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The batch writer's statements through plain ADO.NET: SQL Server's path. It also runs on SQLite (the tests
/// hold it to the same results as <see cref="SqliteBatchCommands"/>); only the time representation differs
/// (see <see cref="Persistence.SqliteQuizDbContext"/>).
/// </summary>
internal sealed class AdoBatchCommands : BatchCommands
{
    readonly DbConnection _connection;
    readonly bool _sqlite;
    readonly DbCommand _processed, _insertParticipant, _updateParticipant, _insertAnswer, _insertOutbox, _insertBody,
        _forgetAnswer, _forgetParticipant, _forgetLeftOut, _deadLetter, _questionState, _startOverAnswers, _startOverPosts, _leftOut, _extraSeconds, _answersOnTime, _earlierPostDropped;

    public AdoBatchCommands(DbConnection connection, bool sqlite)
    {
        _connection = connection;
        _sqlite = sqlite;
        _processed = Command(MarkProcessedSql, ("@id", DbType.Int64), ("@at", TimeType));
        (string, DbType)[] participantParameters =
        [
            ("@id", DbType.Int64), ("@first", DbType.String), ("@last", DbType.String), ("@user", DbType.String), ("@lang", DbType.String),
            ("@team", DbType.String), ("@heads", DbType.Int32), ("@step", DbType.Int32), ("@current", DbType.Int32), ("@created", TimeType),
        ];
        _insertParticipant = Command(InsertParticipantSql, participantParameters);
        _updateParticipant = Command(UpdateParticipantSql, participantParameters.Where(p => p.Item1 != "@created").ToArray());
        _insertAnswer = Command(InsertAnswerSql,
            ("@question", DbType.Int32), ("@participant", DbType.Int64), ("@update", DbType.Int64), ("@text", DbType.String),
            ("@option", DbType.Int32), ("@correct", DbType.Boolean), ("@late", DbType.Boolean), ("@at", TimeType), ("@people", DbType.Int32));
        _insertOutbox = Command(InsertOutboxSql,
            ("@method", DbType.Int32), ("@purpose", DbType.Int32), ("@priority", DbType.Int32), ("@chat", DbType.String), ("@text", DbType.String),
            ("@markup", DbType.String), ("@message", DbType.Int32), ("@callback", DbType.String), ("@question", DbType.Int32),
            ("@timed", DbType.Int32), ("@body", DbType.Int64), ("@created", TimeType), ("@notBefore", TimeType));
        _insertBody = Command(InsertBodySql, ("@id", DbType.Int64), ("@text", DbType.String), ("@markup", DbType.String));
        _forgetAnswer = Command(ForgetAnswerSql, ("@question", DbType.Int32), ("@update", DbType.Int64), ("@id", DbType.Int64));
        _forgetParticipant = Command(ForgetParticipantSql, ("@id", DbType.Int64));
        _forgetLeftOut = Command(ForgetLeftOutSql, ("@id", DbType.Int64));
        _deadLetter = Command(DeadLetterSql, ("@at", TimeType), ("@reason", DbType.String), ("@body", DbType.String));
        _leftOut = Command(LeftOutSql, ("@id", DbType.Int64), ("@at", TimeType));
        _extraSeconds = Command(ExtraSecondsSql, ("@id", DbType.Int32), ("@extra", DbType.Int32));
        _questionState = Command(QuestionStateSql, ("@id", DbType.Int32), ("@state", DbType.Int32), ("@opened", TimeType), ("@closed", TimeType));
        _startOverAnswers = Command(StartOverAnswersSql, ("@id", DbType.Int32));
        _answersOnTime = Command(AnswersOnTimeSql, ("@id", DbType.Int32));
        _startOverPosts = Command(StartOverPostsSql, ("@id", DbType.Int32), ("@status", DbType.Int32));
        _earlierPostDropped = Command(EarlierPostDroppedSql, ("@id", DbType.Int32), ("@at", TimeType), ("@note", DbType.String),
            ("@sent", DbType.Int32), ("@pending", DbType.Int32), ("@purpose", DbType.Int32), ("@announcement", DbType.Int32));
    }

    DbType TimeType => _sqlite ? DbType.Int64 : DbType.DateTimeOffset;

    object Time(DateTimeOffset value) => _sqlite ? value.ToUnixTimeMilliseconds() : value;
    object Time(DateTimeOffset? value) => value is { } v ? Time(v) : DBNull.Value;
    static object Db(object? value) => value ?? DBNull.Value;

    /// <summary>
    /// Ahead of every statement on SQL Server: a server whose DBA turned NOCOUNT on for every connection (its
    /// <c>user options</c>) answers -1 rows, and the writer would take each new update for a repeat: acknowledged, not stored.
    /// </summary>
    internal const string RowCountsOn = "SET NOCOUNT OFF; ";

    DbCommand Command(string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = _sqlite ? sql : RowCountsOn + sql;
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

    internal IEnumerable<DbCommand> All =>
        [_processed, _insertParticipant, _updateParticipant, _insertAnswer, _insertOutbox, _insertBody, _forgetAnswer, _forgetParticipant, _forgetLeftOut, _deadLetter, _questionState, _startOverAnswers, _startOverPosts, _leftOut, _extraSeconds, _answersOnTime, _earlierPostDropped];

    public override void Enlist(DbTransaction transaction)
    {
        foreach (var command in All) command.Transaction = transaction;
    }

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        foreach (var command in All) await command.PrepareAsync(cancellationToken);
    }

    static async ValueTask RunAsync(DbCommand command, CancellationToken cancellationToken) => await command.ExecuteNonQueryAsync(cancellationToken);

    public override async ValueTask<bool> TryMarkProcessedAsync(long updateId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _processed.Parameters[0].Value = updateId;
        _processed.Parameters[1].Value = Time(at);
        return await _processed.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public override ValueTask SaveParticipantAsync(Participant p, bool isNew, CancellationToken cancellationToken)
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

    public override ValueTask InsertAnswerAsync(Answer a, CancellationToken cancellationToken)
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
        values[8].Value = a.People;
        return RunAsync(_insertAnswer, cancellationToken);
    }

    public override ValueTask InsertOutboxAsync(OutboxMessage m, CancellationToken cancellationToken)
    {
        var values = _insertOutbox.Parameters;
        values[0].Value = (int)m.Method;
        values[1].Value = (int)m.Purpose;
        values[2].Value = m.Priority;
        values[3].Value = m.ChatId;
        values[4].Value = Db(m.BodyId is null ? m.Text : null);
        values[5].Value = Db(m.BodyId is null ? m.ReplyMarkupJson : null);
        values[6].Value = Db(m.MessageId);
        values[7].Value = Db(m.CallbackQueryId);
        values[8].Value = Db(m.QuestionId);
        values[9].Value = Db(m.TimedQuestionId);
        values[10].Value = Db(m.BodyId);
        values[11].Value = Time(m.CreatedAt);
        values[12].Value = Time(m.NotBefore);
        return RunAsync(_insertOutbox, cancellationToken);
    }

    public override ValueTask InsertBodyAsync(long id, string? text, string? replyMarkupJson, CancellationToken cancellationToken)
    {
        var values = _insertBody.Parameters;
        values[0].Value = id;
        values[1].Value = Db(text);
        values[2].Value = Db(replyMarkupJson);
        return RunAsync(_insertBody, cancellationToken);
    }

    public override async ValueTask ForgetAsync(long participantId, IReadOnlyList<(int QuestionId, long UpdateId)> answers, CancellationToken cancellationToken)
    {
        foreach (var (questionId, updateId) in answers)
        {
            _forgetAnswer.Parameters[0].Value = questionId;
            _forgetAnswer.Parameters[1].Value = updateId;
            _forgetAnswer.Parameters[2].Value = participantId;
            await RunAsync(_forgetAnswer, cancellationToken);
        }
        _forgetParticipant.Parameters[0].Value = participantId;
        _forgetLeftOut.Parameters[0].Value = participantId;
        await RunAsync(_forgetParticipant, cancellationToken);
        await RunAsync(_forgetLeftOut, cancellationToken); // finds the row only when it was left out, and so not deleted
    }

    public override ValueTask InsertDeadLetterAsync(DateTimeOffset at, string reason, string body, CancellationToken cancellationToken)
    {
        _deadLetter.Parameters[0].Value = Time(at);
        _deadLetter.Parameters[1].Value = reason;
        _deadLetter.Parameters[2].Value = body;
        return RunAsync(_deadLetter, cancellationToken);
    }

    public override ValueTask SaveQuestionStateAsync(Question q, CancellationToken cancellationToken)
    {
        var values = _questionState.Parameters;
        values[0].Value = q.Id;
        values[1].Value = (int)q.State;
        values[2].Value = Time(q.OpenedAt);
        values[3].Value = Time(q.ClosedAt);
        return RunAsync(_questionState, cancellationToken);
    }

    public override ValueTask SaveExtraSecondsAsync(Question q, CancellationToken cancellationToken)
    {
        _extraSeconds.Parameters[0].Value = q.Id;
        _extraSeconds.Parameters[1].Value = q.ExtraSeconds;
        return RunAsync(_extraSeconds, cancellationToken);
    }

    public override ValueTask SaveLeftOutAsync(long participantId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        _leftOut.Parameters[0].Value = participantId;
        _leftOut.Parameters[1].Value = Time(at);
        return RunAsync(_leftOut, cancellationToken);
    }

    public override async ValueTask<int> AnswersOnTimeAsync(int questionId, CancellationToken cancellationToken)
    {
        _answersOnTime.Parameters[0].Value = questionId;
        return await _answersOnTime.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask<int> DropEarlierPostAsync(int questionId, DateTimeOffset at, string note, CancellationToken cancellationToken)
    {
        var values = _earlierPostDropped.Parameters;
        values[0].Value = questionId;
        values[1].Value = Time(at);
        values[2].Value = note;
        values[3].Value = (int)OutboxStatus.Sent;
        values[4].Value = (int)OutboxStatus.Pending;
        values[5].Value = (int)OutboxPurpose.ChannelCount;
        values[6].Value = (int)OutboxPurpose.ChannelAnnouncement;
        return await _earlierPostDropped.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask<(int Answers, int PendingPosts, int FailedPosts)> StartQuestionOverAsync(int questionId, CancellationToken cancellationToken)
    {
        _startOverAnswers.Parameters[0].Value = questionId;
        _startOverPosts.Parameters[0].Value = questionId;
        var answers = await _startOverAnswers.ExecuteNonQueryAsync(cancellationToken);
        _startOverPosts.Parameters[1].Value = (int)OutboxStatus.Pending;
        var pending = await _startOverPosts.ExecuteNonQueryAsync(cancellationToken);
        _startOverPosts.Parameters[1].Value = (int)OutboxStatus.Failed;
        return (answers, pending, await _startOverPosts.ExecuteNonQueryAsync(cancellationToken));
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var command in All) await command.DisposeAsync();
    }
}
