using System.Linq.Expressions;

namespace CodeQuiz.Core.Outbox;

/// <summary>
/// A Bot API call to make, written in the same transaction as the change that caused it,
/// so a crash loses no reply and no channel post.
/// </summary>
public class OutboxMessage
{
    public long Id { get; set; }
    public OutboxMethod Method { get; set; }
    public OutboxPurpose Purpose { get; set; }

    /// <summary>Lower goes first: channel posts and callback answers before acknowledgements.</summary>
    public int Priority { get; set; }

    /// <summary>Numeric chat id or "@channel".</summary>
    public required string ChatId { get; set; }

    public string? Text { get; set; }

    /// <summary>Inline keyboard, serialized with the Bot API's JSON options.</summary>
    public string? ReplyMarkupJson { get; set; }

    /// <summary>
    /// The message an edit applies to (edits of a channel post look it up when they are sent); for a results post once
    /// sent, the message Telegram made of it, which later edits of the results apply to.
    /// </summary>
    public int? MessageId { get; set; }

    public string? CallbackQueryId { get; set; }

    /// <summary>
    /// The shared text and keyboard this reply sends (<see cref="OutboxBody"/>), which the batch writer gives a reply that
    /// another row sent alike; its own <see cref="Text"/> and <see cref="ReplyMarkupJson"/> are then not stored, and the
    /// sender reads the body's.
    /// </summary>
    public long? BodyId { get; set; }

    /// <summary>The question a channel post is about.</summary>
    public int? QuestionId { get; set; }

    /// <summary>
    /// A timed question's prompt: the question whose time left its text's last line gives. A crowd's prompts can wait in
    /// the outbox longer than the time they announce, so the sender writes that line again as it sends
    /// (<see cref="Bot.TimeLeftLine"/>). Not <see cref="QuestionId"/>, which names channel posts only.
    /// </summary>
    public int? TimedQuestionId { get; set; }

    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>
    /// The sender's order when messages wait: channel posts and button toasts, then a question's prompt (a participant
    /// who just scanned the code needs it to answer), then acknowledgements and every other reply, then news that can wait
    /// (a reopened question telling its late answerers that their answers count); by id within each.
    /// </summary>
    public const int UrgentPriority = 0, PromptPriority = 1, NormalPriority = 2, LowPriority = 3;

    /// <summary>The priorities in the order their messages go.</summary>
    public static readonly int[] Priorities = [UrgentPriority, PromptPriority, NormalPriority, LowPriority];

    /// <summary>
    /// Whether the waiting rows of <paramref name="priority"/> have an index of their own (<c>IX_OutboxMessages_Pending{n}</c>):
    /// the few channel posts, toasts and news that can wait. Prompts and acknowledgements, one or more per update, have
    /// none, since an index entry per row is the largest cost an index puts on the writer; the sender reads them by id,
    /// from below the first one it last found waiting (<see cref="OutboxCounters.WaitingAfter"/>).
    /// </summary>
    public static bool HasWaitingIndex(int priority) => priority is UrgentPriority or LowPriority;

    static readonly Expression<Func<OutboxMessage, bool>>[] Waiting = [.. Priorities.Select(WaitingFilter)];

    /// <summary>
    /// The rows waiting at <paramref name="priority"/>. The priority is a literal in the SQL: SQLite and SQL Server use a
    /// filtered index only for a query that names the value it filters on.
    /// </summary>
    public static Expression<Func<OutboxMessage, bool>> WaitingAt(int priority) => Waiting[priority];

    static Expression<Func<OutboxMessage, bool>> WaitingFilter(int priority)
    {
        var m = Expression.Parameter(typeof(OutboxMessage), "m");
        return Expression.Lambda<Func<OutboxMessage, bool>>(Expression.AndAlso(
            Expression.Equal(Expression.Property(m, nameof(Status)), Expression.Constant(OutboxStatus.Pending)),
            Expression.Equal(Expression.Property(m, nameof(Priority)), Expression.Constant(priority))), m);
    }
}

public enum OutboxMethod { SendMessage, EditMessageText, EditMessageReplyMarkup, AnswerCallbackQuery }

/// <summary>
/// Why a message is sent. <see cref="ChannelCount"/> edits a question's announcement with its answer count;
/// <see cref="ChannelResultsEdit"/> edits a results post that reads otherwise since: an organizer left a participant out
/// of the rankings (or ranked them again), or a participant who answered sent /forget (off its podium, or its totals). Of
/// either kind only the newest for a post matters (a question reopened and closed again has a results post of each close).
/// </summary>
public enum OutboxPurpose { Reply, CallbackAnswer, ChannelAnnouncement, ChannelCount, ChannelResults, ChannelResultsEdit }

public enum OutboxStatus { Pending, Sent, Failed }
