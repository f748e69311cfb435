using Telegram.Bot.Exceptions;

namespace CodeQuiz.Core.Telegram;

public static class TelegramErrors
{
    /// <summary>No answer from Telegram (a timeout, the network), or Telegram answered that it is down itself (5xx).</summary>
    public static bool IsOutage(Exception e, bool timedOut) =>
        timedOut || e is TimeoutException || e is ApiRequestException { ErrorCode: >= 500 }
        || e is RequestException and not ApiRequestException
        || e is HttpRequestException or IOException or System.Net.Sockets.SocketException;
}
