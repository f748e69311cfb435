using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>A simulated Telegram user who talks to the bot in a private chat (chat id = user id, as on Telegram).</summary>
public sealed record SimUser(long Id, string FirstName, string? LastName = null, string? Username = null, string LanguageCode = "en")
{
    public string DisplayName => LastName is null ? FirstName : $"{FirstName} {LastName}";

    internal User ToTelegram() => new() { Id = Id, IsBot = false, FirstName = FirstName, LastName = LastName, Username = Username, LanguageCode = LanguageCode };
}

public enum SimEntryKind { Text, Photo, Sticker, ButtonPress }

/// <summary>
/// One entry of a chat as a Telegram app shows it: a message, with its latest edit applied, or a button press
/// (which Telegram shows as nothing but the toast; the console shows it so the conversation reads well).
/// </summary>
public sealed record SimMessage(
    long ChatId,
    int MessageId,
    bool FromBot,
    long? UserId,
    SimEntryKind Kind,
    DateTimeOffset Date,
    string? Text,
    IReadOnlyList<MessageEntity> Entities,
    string DisplayHtml,
    InlineKeyboardMarkup? ReplyMarkup = null,
    DateTimeOffset? EditedAt = null,
    int Edits = 0,
    string? Toast = null,
    string? CallbackData = null)
{
    public IEnumerable<InlineKeyboardButton> Buttons => ReplyMarkup?.InlineKeyboard.SelectMany(row => row) ?? [];
}

/// <param name="Dropped">Earlier entries the simulator no longer keeps (see <see cref="TelegramSimulator.ChatHistorySize"/>).</param>
public sealed record SimChat(long Id, ChatType Type, string Title, string? Username, int Entries, DateTimeOffset LastActivity, long Dropped = 0);

/// <summary>The entries of a chat the simulator keeps, oldest first, and how many earlier ones it dropped.</summary>
public sealed record SimChatHistory(IReadOnlyList<SimMessage> Entries, long Dropped);

/// <summary>One POST of an update to the webhook and how it went.</summary>
public sealed record DeliveryAttempt(long UpdateId, DateTimeOffset At, int? StatusCode, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>What getWebhookInfo reports, plus counters for the console.</summary>
public sealed record SimulatorStatus(
    string? WebhookUrl,
    int PendingUpdates,
    int MaxConnections,
    DateTimeOffset? LastErrorDate,
    string? LastErrorMessage,
    long UpdatesCreated,
    long UpdatesDelivered,
    long BotMessagesSent,
    long Edits,
    long RateLimited,
    long Errors);

/// <summary>A press on an inline button of a bot message, as the rehearsal page reports it.</summary>
public sealed record SimButtonPress(SimMessage Message, string CallbackData);
