namespace CodeQuiz.Core.Outbox;

/// <summary>
/// A text and keyboard that many replies send alike: a question's prompt to everyone who scans its code, the keyboard an
/// answer leaves, the same acknowledgement. Stored once and named by each row's <see cref="OutboxMessage.BodyId"/> instead
/// of copied into it: those copies were most of what the hot path wrote. Never changed once written.
/// </summary>
public class OutboxBody
{
    public long Id { get; set; }
    public string? Text { get; set; }

    /// <summary>Inline keyboard, serialized with the Bot API's JSON options.</summary>
    public string? ReplyMarkupJson { get; set; }
}
