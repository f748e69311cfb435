using CodeQuiz.Core.Telegram;

namespace CodeQuiz.Web.Telegram;

/// <summary>How the webhook registration and the poller record the bot's name once getMe answered.</summary>
public static partial class BotIdentityLearning
{
    /// <summary>Takes the name getMe reported, and warns when Telegram:BotUsername named another bot.</summary>
    public static void Learn(this BotIdentity identity, string? username, ILogger logger)
    {
        identity.FromTelegram = username;
        if (identity.Disagrees)
            LogNamesDiffer(logger, identity.FromTelegram!, identity.Configured!);
    }

    [LoggerMessage(LogLevel.Warning, "Telegram says the bot is @{Reported}, but Telegram:BotUsername is @{Configured}: links made before getMe answered point to @{Configured}. Fix the setting.")]
    static partial void LogNamesDiffer(ILogger logger, string reported, string configured);
}
