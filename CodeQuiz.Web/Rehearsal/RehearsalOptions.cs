using System.ComponentModel.DataAnnotations;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>The Telegram simulator and its virtual crowd (section "Rehearsal"; used only in Rehearsal mode).</summary>
public sealed class RehearsalOptions
{
    public const string Section = "Rehearsal";

    /// <summary>How many virtual participants play along.</summary>
    [Range(0, 100_000, ErrorMessage = "Rehearsal:CrowdSize must be between 0 and 100000.")]
    public int CrowdSize { get; set; } = 200;

    /// <summary>How fast the crowd is: 1 is a real audience (most answer within about half a minute), 2 twice as fast.</summary>
    [Range(0.1, 100, ErrorMessage = "Rehearsal:Pace must be between 0.1 and 100.")]
    public double Pace { get; set; } = 1;

    /// <summary>Share of the crowd's answers that are right (0–1).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Rehearsal:Accuracy must be between 0 and 1.")]
    public double Accuracy { get; set; } = 0.75;

    /// <summary>Share of the crowd that answers a question at all (0–1).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Rehearsal:Participation must be between 0 and 1.")]
    public double Participation { get; set; } = 0.9;

    /// <summary>Start the crowd with the app; otherwise it waits for Start on the rehearsal page.</summary>
    public bool CrowdAutoStart { get; set; } = true;

    /// <summary>Seed of the crowd's random choices, for a reproducible rehearsal; empty means a new crowd each run.</summary>
    public int? CrowdSeed { get; set; }

    /// <summary>Channels the bot may post to besides those named by events ("@name" or "-100…" ids).</summary>
    public List<string> Channels { get; set; } = [];

    public RehearsalRateLimits RateLimits { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        var r = RateLimits;
        // Written so that NaN fails too.
        if (r.MessagesPerSecond is not (> 0 and <= 10_000)) yield return "Rehearsal:RateLimits:MessagesPerSecond must be more than 0 and at most 10000.";
        if (r.PerChatPerSecond is not (> 0 and <= 1_000)) yield return "Rehearsal:RateLimits:PerChatPerSecond must be more than 0 and at most 1000.";
        if (r.ChannelMessagesPerMinute is not (> 0 and <= 60_000)) yield return "Rehearsal:RateLimits:ChannelMessagesPerMinute must be more than 0 and at most 60000.";
        if (r.Burst < 1) yield return "Rehearsal:RateLimits:Burst must be at least 1.";
        if (r.PerChatBurst < 1) yield return "Rehearsal:RateLimits:PerChatBurst must be at least 1.";
        if (r.ChannelBurst < 1) yield return "Rehearsal:RateLimits:ChannelBurst must be at least 1.";
        foreach (var channel in Channels)
            if (!RehearsalChannels.IsChannelId(channel))
                yield return $"Rehearsal:Channels: '{channel}' is neither @name nor a -100… chat id.";
    }
}

/// <summary>
/// Telegram's flood limits as token buckets: a burst is allowed, a sustained rate above the limit gets 429
/// with retry_after. Sends and edits count; answerCallbackQuery does not.
/// </summary>
public sealed class RehearsalRateLimits
{
    public bool Enabled { get; set; } = true;

    /// <summary>Messages per second to all chats together (Telegram: about 30).</summary>
    public double MessagesPerSecond { get; set; } = 30;

    /// <summary>Messages allowed at once above the sustained overall rate.</summary>
    public int Burst { get; set; } = 30;

    /// <summary>Messages per second to one private chat (Telegram: about 1).</summary>
    public double PerChatPerSecond { get; set; } = 1;

    public int PerChatBurst { get; set; } = 3;

    /// <summary>Messages per minute to one channel (Telegram: about 20).</summary>
    public double ChannelMessagesPerMinute { get; set; } = 20;

    public int ChannelBurst { get; set; } = 5;
}
