using System.Data.Common;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using Microsoft.Data.Sqlite;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The hot path's writes, as prepared statements on the batch writer's own connection: EF Core's change tracking
/// is several times slower than this for thousands of rows a second. One SQL text for both providers; SQLite runs it
/// through its native statement API (<see cref="SqliteBatchCommands"/>), any other provider through ADO.NET
/// (<see cref="AdoBatchCommands"/>). The methods complete synchronously on SQLite, hence <see cref="ValueTask"/>.
/// </summary>
internal abstract class BatchCommands : IAsyncDisposable
{
    public const string MarkProcessedSql =
        "INSERT INTO ProcessedUpdates (UpdateId, ProcessedAt) SELECT @id, @at WHERE NOT EXISTS (SELECT 1 FROM ProcessedUpdates WHERE UpdateId = @id)";
    public const string InsertParticipantSql =
        "INSERT INTO Participants (Id, FirstName, LastName, Username, LanguageCode, TeamName, HeadCount, Registration, CurrentQuestionId, CreatedAt) " +
        "VALUES (@id, @first, @last, @user, @lang, @team, @heads, @step, @current, @created)";
    public const string UpdateParticipantSql =
        "UPDATE Participants SET FirstName = @first, LastName = @last, Username = @user, LanguageCode = @lang, TeamName = @team, " +
        "HeadCount = @heads, Registration = @step, CurrentQuestionId = @current WHERE Id = @id";
    public const string InsertAnswerSql =
        "INSERT INTO Answers (QuestionId, ParticipantId, UpdateId, Text, OptionIndex, IsCorrect, IsLate, AnsweredAt, People) " +
        "VALUES (@question, @participant, @update, @text, @option, @correct, @late, @at, @people)";
    public const string InsertOutboxSql =
        "INSERT INTO OutboxMessages (Method, Purpose, Priority, ChatId, Text, ReplyMarkupJson, MessageId, CallbackQueryId, QuestionId, TimedQuestionId, BodyId, Status, Attempts, CreatedAt, NotBefore) " +
        "VALUES (@method, @purpose, @priority, @chat, @text, @markup, @message, @callback, @question, @timed, @body, 0, 0, @created, @notBefore)";
    public const string InsertBodySql = "INSERT INTO OutboxBodies (Id, Text, ReplyMarkupJson) VALUES (@id, @text, @markup)";
    /// <summary>One of a participant's answers, found through the answers' (QuestionId, UpdateId) index: none is keyed by the participant.</summary>
    public const string ForgetAnswerSql = "DELETE FROM Answers WHERE QuestionId = @question AND UpdateId = @update AND ParticipantId = @id";
    public const string ForgetParticipantSql = "DELETE FROM Participants WHERE Id = @id AND LeftOutAt IS NULL";
    /// <summary>Someone the organizers left out keeps only that: coming back after /forget must not put them on the podium again.</summary>
    public const string ForgetLeftOutSql =
        "UPDATE Participants SET FirstName = '', LastName = NULL, Username = NULL, LanguageCode = NULL, TeamName = NULL, HeadCount = NULL, " +
        "Registration = 0, CurrentQuestionId = NULL WHERE Id = @id";
    public const string DeadLetterSql = "INSERT INTO DeadLetters (ReceivedAt, Reason, Body) VALUES (@at, @reason, @body)";
    public const string StartOverAnswersSql = "DELETE FROM Answers WHERE QuestionId = @id";
    public const string StartOverPostsSql = "DELETE FROM OutboxMessages WHERE QuestionId = @id AND Status = @status";
    public const string LeftOutSql = "UPDATE Participants SET LeftOutAt = @at WHERE Id = @id";
    public const string ExtraSecondsSql = "UPDATE Questions SET ExtraSeconds = @extra WHERE Id = @id";
    public const string AnswersOnTimeSql = "UPDATE Answers SET IsLate = 0 WHERE QuestionId = @id AND IsLate = 1";
    public const string EarlierPostDroppedSql =
        "UPDATE OutboxMessages SET Status = @sent, SentAt = @at, LastError = @note WHERE QuestionId = @id AND Status = @pending AND Purpose IN (@purpose, @announcement)";
    public const string QuestionStateSql = "UPDATE Questions SET State = @state, OpenedAt = @opened, ClosedAt = @closed WHERE Id = @id";

    /// <summary>The commands for the writer's connection: native on SQLite, ADO.NET elsewhere.</summary>
    public static BatchCommands Create(DbConnection connection) =>
        connection is SqliteConnection sqlite ? new SqliteBatchCommands(sqlite) : new AdoBatchCommands(connection, sqlite: false);

    /// <summary>Readies the statements; called once, after the connection opened.</summary>
    public abstract Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>The transaction the next writes belong to.</summary>
    public abstract void Enlist(DbTransaction transaction);

    /// <summary>Records the update_id; false when it was already stored (a repeat Telegram sent again).</summary>
    public abstract ValueTask<bool> TryMarkProcessedAsync(long updateId, DateTimeOffset at, CancellationToken cancellationToken);

    public abstract ValueTask SaveParticipantAsync(Participant p, bool isNew, CancellationToken cancellationToken);

    public abstract ValueTask InsertAnswerAsync(Answer a, CancellationToken cancellationToken);

    /// <summary>Inserts the row; one that names a shared body (<see cref="OutboxMessage.BodyId"/>) is stored without its own text and keyboard.</summary>
    public abstract ValueTask InsertOutboxAsync(OutboxMessage m, CancellationToken cancellationToken);

    public abstract ValueTask InsertBodyAsync(long id, string? text, string? replyMarkupJson, CancellationToken cancellationToken);

    /// <summary>Deletes a participant and their answers (/forget), each named by its question and update id.</summary>
    public abstract ValueTask ForgetAsync(long participantId, IReadOnlyList<(int QuestionId, long UpdateId)> answers, CancellationToken cancellationToken);

    public abstract ValueTask InsertDeadLetterAsync(DateTimeOffset at, string reason, string body, CancellationToken cancellationToken);

    public abstract ValueTask SaveQuestionStateAsync(Question q, CancellationToken cancellationToken);

    /// <summary>The seconds an open question was given after its time limit.</summary>
    public abstract ValueTask SaveExtraSecondsAsync(Question q, CancellationToken cancellationToken);

    /// <summary>Counts a reopened question's late answers as on time; returns how many.</summary>
    public abstract ValueTask<int> AnswersOnTimeAsync(int questionId, CancellationToken cancellationToken);

    /// <summary>
    /// Settles a question's channel post and its edits (<see cref="OutboxPurpose.ChannelCount"/>) that have not gone out,
    /// noting why; returns how many. A question taken back to draft and opened again gets a new post: an edit of its
    /// earlier one still waiting would go to the new post instead, and the earlier post, had it not gone out either, would
    /// put the question in the channel twice, the first copy never saying it closed.
    /// </summary>
    public abstract ValueTask<int> DropEarlierPostAsync(int questionId, DateTimeOffset at, string note, CancellationToken cancellationToken);

    /// <summary>Leaves a participant out of the rankings (a time) or ranks them again (null).</summary>
    public abstract ValueTask SaveLeftOutAsync(long participantId, DateTimeOffset? at, CancellationToken cancellationToken);

    /// <summary>Reads again what the commands keep of the database (SQLite: each participant's row, the outbox's newest id); at start and after a failed batch.</summary>
    public virtual ValueTask ReadBackAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Deletes a question's answers and its channel posts that were not sent, waiting or refused (the rehearsal's, which
    /// would otherwise go out, or be shown as errors, during the show); returns how many of each.
    /// </summary>
    public abstract ValueTask<(int Answers, int PendingPosts, int FailedPosts)> StartQuestionOverAsync(int questionId, CancellationToken cancellationToken);

    /// <summary>
    /// Room in memory, until <see cref="NarrowCache"/> after the commit, for the pages a start over changes: deleting a
    /// million answers touches index pages all over the file, and spilled from a small cache each is written many times.
    /// </summary>
    public virtual void WidenCache()
    {
    }

    /// <summary>Gives back what <see cref="WidenCache"/> took; nothing when it took nothing.</summary>
    public virtual void NarrowCache()
    {
    }

    public abstract ValueTask DisposeAsync();
}
