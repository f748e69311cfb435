using CodeQuiz.Core.Telegram;
using Telegram.Bot.Types;

namespace CodeQuiz.Web.Telegram;

/// <summary>What the status page shows of the bot: mode, name, webhook info, the last problem talking to Telegram.</summary>
public sealed class BotStatus(Microsoft.Extensions.Options.IOptions<TelegramOptions> options, BotIdentity identity)
{
    public TelegramMode Mode { get; } = options.Value.EffectiveMode;
    public string? Username => identity.Username;
    public WebhookInfo? Webhook { get; set; }
    public DateTimeOffset? WebhookCheckedAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }

    /// <summary>Pending updates at Telegram, as getWebhookInfo last said.</summary>
    public int PendingUpdates => Webhook?.PendingUpdateCount ?? 0;

    public void Failed(string message, DateTimeOffset at)
    {
        LastError = message;
        LastErrorAt = at;
    }
}
