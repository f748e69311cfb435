using CodeQuiz.Core.Telegram;

namespace CodeQuiz.Web.Components.Pages.Qr;

/// <summary>Deep links into the bot (https://t.me/{bot}?start={code}), the target of every printed QR code.</summary>
public sealed class BotLinks(BotIdentity identity)
{
    /// <summary>Used on QR codes while the bot's user name is not known yet; the QR page warns about it.</summary>
    public const string PlaceholderUsername = BotIdentity.Placeholder;

    public const string RegisterStart = "register";

    /// <summary>The bot's user name without @, or null when neither getMe nor Telegram:BotUsername told it.</summary>
    public string? KnownUsername => identity.Username;

    public string Username => identity.UsernameOrPlaceholder;

    public string For(string start) => $"https://t.me/{Username}?start={Uri.EscapeDataString(start)}";

    public string ForQuestion(string code) => For(code);

    public string ForRegistration() => For(RegisterStart);
}
