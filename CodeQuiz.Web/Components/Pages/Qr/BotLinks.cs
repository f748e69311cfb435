using CodeQuiz.Core.Telegram;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web.Components.Pages.Qr;

/// <summary>Deep links into the bot (https://t.me/{bot}?start={code}), the target of every printed QR code.</summary>
public sealed class BotLinks(BotIdentity identity, IOptionsMonitor<TelegramOptions> telegram)
{
    /// <summary>Used on QR codes while the bot's user name is not known yet; the QR page warns about it.</summary>
    public static readonly string PlaceholderUsername = new BotIdentity().UsernameOrPlaceholder;

    public const string RegisterStart = "register";

    /// <summary>The bot's user name without @, or null when neither getMe nor Telegram:BotUsername told it.</summary>
    public string? KnownUsername => Normalize(identity.Username) ?? Normalize(telegram.CurrentValue.BotUsername);

    public string Username => KnownUsername ?? PlaceholderUsername;

    public string For(string start) => $"https://t.me/{Username}?start={Uri.EscapeDataString(start)}";

    public string ForQuestion(string code) => For(code);

    public string ForRegistration() => For(RegisterStart);

    static string? Normalize(string? username) =>
        string.IsNullOrWhiteSpace(username) ? null : username.Trim().TrimStart('@');
}
