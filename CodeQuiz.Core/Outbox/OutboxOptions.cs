using System.ComponentModel.DataAnnotations;

namespace CodeQuiz.Core.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Messages per second to all chats together (Telegram allows about 30).</summary>
    [Range(1, 1_000, ErrorMessage = "Outbox:MessagesPerSecond must be between 1 and 1000.")]
    public int MessagesPerSecond { get; set; } = 30;

    /// <summary>Seconds between two messages to the same chat (Telegram allows about one a second).</summary>
    [Range(0d, 60d, ErrorMessage = "Outbox:PerChatIntervalSeconds must be between 0 and 60.")]
    public double PerChatIntervalSeconds { get; set; } = 1;

    /// <summary>Seconds between edits of the live answer count in a channel post.</summary>
    [Range(1, 600, ErrorMessage = "Outbox:ChannelCountIntervalSeconds must be between 1 and 600.")]
    public int ChannelCountIntervalSeconds { get; set; } = 5;

    /// <summary>Send a plain reply to the update's own chat in the webhook response instead of through the outbox.</summary>
    public bool ReplyInWebhookResponse { get; set; }

    /// <summary>
    /// Seconds to wait for Telegram's answer to one call before it counts as a transient failure and is tried again later.
    /// Telegram answers in well under a second; without this a call stuck on a dead connection would hold every message
    /// behind it for the HTTP client's whole timeout.
    /// </summary>
    [Range(1, 300, ErrorMessage = "Outbox:CallTimeoutSeconds must be between 1 and 300.")]
    public int CallTimeoutSeconds { get; set; } = 10;

    /// <summary>Give up on a message after this many failures of its own; Telegram out of reach never counts.</summary>
    [Range(1, 1_000, ErrorMessage = "Outbox:MaxAttempts must be between 1 and 1000.")]
    public int MaxAttempts { get; set; } = 20;
}
