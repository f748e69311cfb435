using System.ComponentModel.DataAnnotations;

namespace CodeQuiz.Core.Telegram;

public enum TelegramMode { Rehearsal, Webhook, Polling }

public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>The token from @BotFather. Empty means Rehearsal mode with the built-in simulator.</summary>
    /// <remarks>Trimmed: a token read from a file keeps its line break, which would end up in every Bot API address.</remarks>
    public string? BotToken { get; set => field = value?.Trim(); }

    /// <summary>Rehearsal, Webhook or Polling. Empty: Rehearsal without a token, Webhook with a token and a WebhookUrl, else Polling.</summary>
    public string? Mode { get; set; }

    /// <summary>Public HTTPS address Telegram posts updates to, ending in /telegram/webhook.</summary>
    /// <remarks>Trimmed: given to setWebhook with the spaces pasted around it, it would never equal the address getWebhookInfo reports.</remarks>
    public string? WebhookUrl { get; set => field = value?.Trim(); }

    /// <summary>Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token: 1–256 of A-Z a-z 0-9 _ -.</summary>
    public string? SecretToken { get; set; }

    /// <summary>How many webhook requests Telegram may have in flight at once (1–100).</summary>
    [Range(1, 100, ErrorMessage = "Telegram:MaxConnections must be between 1 and 100.")]
    public int MaxConnections { get; set; } = 100;

    /// <summary>
    /// Polling mode: how long one getUpdates may wait at Telegram for new updates (1–50 s). A call that has not
    /// answered this long plus Outbox:CallTimeoutSeconds is given up and made again: the connection went dead.
    /// </summary>
    [Range(1, 50, ErrorMessage = "Telegram:LongPollSeconds must be between 1 and 50.")]
    public int LongPollSeconds { get; set; } = 25;

    /// <summary>Bot API server; Rehearsal mode points it at the app itself.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>
    /// The bot's user name (with or without @) for links made before getMe answered, e.g. while Telegram cannot be
    /// reached at start. getMe's answer wins; the status page warns when the two differ.
    /// </summary>
    public string? BotUsername { get; set; }

    public const string RehearsalToken = "100000001:rehearsal-simulated-bot-token";

    public TelegramMode EffectiveMode => ParseMode(Mode) is { } mode
        ? mode
        : string.IsNullOrWhiteSpace(BotToken) ? TelegramMode.Rehearsal
        : string.IsNullOrWhiteSpace(WebhookUrl) ? TelegramMode.Polling : TelegramMode.Webhook;

    /// <summary>The token the bot client uses: the configured one, or the simulator's in Rehearsal mode.</summary>
    public string EffectiveToken => EffectiveMode == TelegramMode.Rehearsal ? RehearsalToken : BotToken!;

    /// <summary>The bot's id, the digits before the colon of its token (the simulated bot's in Rehearsal mode); null for a malformed token.</summary>
    public long? EffectiveBotId =>
        EffectiveToken is { } token && token.IndexOf(':') is > 0 and var colon
            && long.TryParse(token.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;

    /// <summary>Every mistake in the section, each naming its setting; empty when the section is usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(Mode) && ParseMode(Mode) is null)
        {
            yield return $"Telegram:Mode must be Rehearsal, Webhook or Polling (was '{Mode}').";
            yield break;
        }
        var mode = EffectiveMode;
        var hasToken = !string.IsNullOrWhiteSpace(BotToken);
        if (hasToken && BotTokenMistake(BotToken!) is { } tokenMistake)
            yield return tokenMistake;
        if (mode == TelegramMode.Rehearsal && hasToken)
            yield return "Telegram:Mode is Rehearsal but Telegram:BotToken is set: the simulator never runs with a real token. Remove the token or choose Webhook or Polling.";
        if (mode != TelegramMode.Rehearsal && !hasToken)
            yield return $"Telegram:BotToken is required in {mode} mode.";
        if (mode == TelegramMode.Webhook)
        {
            if (!Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                yield return "Telegram:WebhookUrl must be an absolute https:// URL in Webhook mode.";
            else if (!url.AbsolutePath.TrimEnd('/').EndsWith("/telegram/webhook", StringComparison.Ordinal))
                yield return $"Telegram:WebhookUrl must end in /telegram/webhook, where CodeQuiz takes updates (was '{WebhookUrl}').";
            else if (IsTelegramsOwnServer && url.Port is not (443 or 80 or 88 or 8443))
                yield return $"Telegram:WebhookUrl must use port 443, 80, 88 or 8443, the only ones Telegram delivers to (was {url.Port}).";
            if (string.IsNullOrEmpty(SecretToken))
                yield return "Telegram:SecretToken is required in Webhook mode.";
        }
        if (!string.IsNullOrEmpty(SecretToken) && !IsValidSecret(SecretToken))
            yield return "Telegram:SecretToken must be 1–256 characters of A-Z, a-z, 0-9, _ and -.";
        // Deep links and the QR codes printed from them carry this name (in Rehearsal mode even the show's).
        if (!string.IsNullOrWhiteSpace(BotUsername) && !System.Text.RegularExpressions.Regex.IsMatch(BotUsername.Trim(), "^@?[A-Za-z0-9_]{5,32}$"))
            yield return $"Telegram:BotUsername must be a Telegram user name, 5–32 of A-Z, a-z, 0-9 and _, with or without @ (was '{BotUsername}').";
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
            yield return "Telegram:ApiBaseUrl must be an absolute http(s):// URL.";
        // The Bot API client keeps only scheme, host and port: a local server behind "/tg/" was silently called at "/bot…".
        // The value is not repeated: "https://api.telegram.org/bot123:ABC…" pasted whole holds the token.
        else if (api.AbsolutePath != "/" || api.Query.Length > 0 || api.Fragment.Length > 0)
            yield return "Telegram:ApiBaseUrl must be the Bot API server's address alone, such as https://api.telegram.org or http://127.0.0.1:8081: " +
                "the bot calls /bot<token>/<method> at the server's root, so a path or query after the address would not be used.";
        // Every call carries the token in its path: over plain http to Telegram it would cross the internet readable.
        else if (api.Scheme == Uri.UriSchemeHttp && IsTelegramsOwnServer)
            yield return "Telegram:ApiBaseUrl must be https://api.telegram.org: over http:// every call would carry the bot token across the internet unencrypted.";
        if (MaxConnections is < 1 or > 100)
            yield return "Telegram:MaxConnections must be between 1 and 100.";
        if (LongPollSeconds is < 1 or > 50)
            yield return "Telegram:LongPollSeconds must be between 1 and 50.";
    }

    /// <summary>
    /// Why <paramref name="token"/> cannot be a bot token, which is "&lt;bot id&gt;:&lt;secret&gt;": the id a positive whole
    /// number (the bot's user id), the secret letters, digits, _ and -. Null when it can be one.
    /// </summary>
    static string? BotTokenMistake(string token)
    {
        // [0-9], not \d, which also takes other scripts' digits; the bot client refuses an id of more than 16 digits, with a stack
        // trace instead of the setting's name.
        if (!System.Text.RegularExpressions.Regex.IsMatch(token, @"\A[0-9]{1,16}:[A-Za-z0-9_-]+\z"))
            return "Telegram:BotToken does not look like a bot token (<digits>:<letters>).";
        // Telegram numbers bots from 1 and never writes an id with a leading zero: "0:…" or "007:…" is made up or mistyped.
        if (token[0] == '0')
            return "Telegram:BotToken does not look like a bot token: the number before the colon is the bot's id, a positive number without leading zeros.";
        return null;
    }

    /// <summary>The mode by its name; Enum.TryParse would also take "1", "99" or "Rehearsal, Webhook".</summary>
    static TelegramMode? ParseMode(string? mode) =>
        Enum.GetValues<TelegramMode>().Select(m => (TelegramMode?)m)
            .FirstOrDefault(m => string.Equals(m.ToString(), mode?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Telegram's own Bot API, not a local Bot API server (which delivers to any port); "api.telegram.org." with the root's
    /// dot is the same server.
    /// </summary>
    bool IsTelegramsOwnServer => Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) && api.Host.TrimEnd('.') == "api.telegram.org";

    public static bool IsValidSecret(string secret) =>
        secret.Length is >= 1 and <= 256 && secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
