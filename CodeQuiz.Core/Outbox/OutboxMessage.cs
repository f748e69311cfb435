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

    /// <summary>The question a channel post is about.</summary>
    public int? QuestionId { get; set; }

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
}

public enum OutboxMethod { SendMessage, EditMessageText, EditMessageReplyMarkup, AnswerCallbackQuery }

/// <summary>
/// Why a message is sent. <see cref="ChannelCount"/> edits a question's announcement with its answer count;
/// <see cref="ChannelResultsEdit"/> edits a results post that reads otherwise since: an organizer left a participant out
/// of the rankings (or ranked them again), or a participant who answered sent /forget (off its podium, or its totals). Of
/// either kind only the newest for a question matters.
/// </summary>
public enum OutboxPurpose { Reply, CallbackAnswer, ChannelAnnouncement, ChannelCount, ChannelResults, ChannelResultsEdit }

public enum OutboxStatus { Pending, Sent, Failed }
