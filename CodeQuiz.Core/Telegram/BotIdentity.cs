using Microsoft.Extensions.Options;

namespace CodeQuiz.Core.Telegram;

/// <summary>
/// The bot's user name for deep links (t.me/{Username}?start=CODE), the same everywhere: QR codes, the presenter, the
/// channel posts. Telegram's own answer to getMe wins; until it comes, Telegram:BotUsername stands in.
/// </summary>
public sealed class BotIdentity(IOptionsMonitor<TelegramOptions>? options = null)
{
    /// <summary>Used in links while neither getMe nor Telegram:BotUsername told the name; the QR page warns about it.</summary>
    public const string Placeholder = "CodeQuizBot";

    volatile string? _fromTelegram;

    /// <summary>The name getMe reported, null until it answered.</summary>
    public string? FromTelegram
    {
        get => _fromTelegram;
        set => _fromTelegram = Normalize(value);
    }

    /// <summary>The configured Telegram:BotUsername without @, null when empty.</summary>
    public string? Configured => Normalize(options?.CurrentValue.BotUsername);

    /// <summary>The name links use, without @: getMe's answer, else Telegram:BotUsername, else null.</summary>
    public string? Username => FromTelegram ?? Configured;

    public string UsernameOrPlaceholder => Username ?? Placeholder;

    /// <summary>True when getMe reported a name other than the configured one (links made before it answered are wrong).</summary>
    public bool Disagrees => FromTelegram is { } reported && Configured is { } configured
        && !string.Equals(reported, configured, StringComparison.OrdinalIgnoreCase);

    static string? Normalize(string? username) =>
        string.IsNullOrWhiteSpace(username) ? null : username.Trim().TrimStart('@');
}
