namespace CodeQuiz.Core.Telegram;

/// <summary>The bot's user name as getMe reported it, for deep links (t.me/{Username}?start=CODE).</summary>
public sealed class BotIdentity
{
    volatile string? _username;

    public string? Username { get => _username; set => _username = value; }

    /// <summary>The name for links before getMe answered.</summary>
    public string UsernameOrPlaceholder => Username ?? "CodeQuizBot";
}
