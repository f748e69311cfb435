using System.Globalization;
using System.Text.Json;
using Telegram.Bot;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>A Bot API error as Telegram reports it: error_code, description and, for 429, retry_after.</summary>
public sealed class BotApiException(int errorCode, string description, int? retryAfter = null, long? migrateToChatId = null) : Exception(description)
{
    public int ErrorCode { get; } = errorCode;
    public string Description { get; } = description;
    public int? RetryAfter { get; } = retryAfter;
    /// <summary>The supergroup a group became, which Telegram names when a call uses the group's old id.</summary>
    public long? MigrateToChatId { get; } = migrateToChatId;

    public static BotApiException BadRequest(string reason) => new(400, $"Bad Request: {reason}");
    public static BotApiException Unauthorized() => new(401, "Unauthorized");
    public static BotApiException NotFound() => new(404, "Not Found");
    public static BotApiException Conflict(string reason) => new(409, $"Conflict: {reason}");
    public static BotApiException Forbidden(string reason) => new(403, $"Forbidden: {reason}");
    public static BotApiException TooManyRequests(int retryAfter) => new(429, $"Too Many Requests: retry after {retryAfter}", retryAfter);
    public static BotApiException Upgraded(long supergroup) => new(400, "Bad Request: group chat was upgraded to a supergroup chat", migrateToChatId: supergroup);
}

/// <summary>
/// A Bot API call's parameters, from the query string, a JSON body, a form or a multipart body (Telegram accepts
/// all four; Telegram.Bot sends JSON, and multipart when it uploads a file). Strings are kept as they are,
/// anything else as its JSON text, which is also how multipart parts carry objects such as reply_markup.
/// </summary>
public sealed class BotApiParameters
{
    readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Names of uploaded files (multipart parts with a file name) and their sizes.</summary>
    public Dictionary<string, long> Files { get; } = new(StringComparer.Ordinal);

    public static BotApiParameters From(IEnumerable<KeyValuePair<string, string>> values)
    {
        var parameters = new BotApiParameters();
        foreach (var (key, value) in values)
            parameters._values[key] = value;
        return parameters;
    }

    public static BotApiParameters FromJson(JsonElement body)
    {
        var parameters = new BotApiParameters();
        if (body.ValueKind == JsonValueKind.Object)
            foreach (var property in body.EnumerateObject())
                parameters.SetJson(property.Name, property.Value);
        return parameters;
    }

    public static async Task<BotApiParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new BotApiParameters();
        foreach (var (key, value) in request.Query)
            parameters._values[key] = value.ToString();
        if (request.HasJsonContentType())
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw BotApiException.BadRequest("request body must be a JSON object");
                foreach (var property in document.RootElement.EnumerateObject())
                    parameters.SetJson(property.Name, property.Value);
            }
            catch (JsonException)
            {
                throw BotApiException.BadRequest("can't parse JSON object");
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (key, value) in form)
                parameters._values[key] = value.ToString();
            foreach (var file in form.Files)
                parameters.Files[file.Name] = file.Length;
        }
        return parameters;
    }

    void SetJson(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        _values[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    public bool Has(string name) => _values.ContainsKey(name) || Files.ContainsKey(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public long? Long(string name)
    {
        if (String(name) is not { } raw) return null;
        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw BotApiException.BadRequest($"invalid {name} specified");
    }

    public int? Int(string name) => Long(name) is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : null;

    public bool Bool(string name) => String(name) is { } raw && (raw.Equals("true", StringComparison.OrdinalIgnoreCase) || raw == "1");

    /// <summary>An object parameter (reply_markup, allowed_updates) read with the Bot API's JSON options.</summary>
    public T? Json<T>(string name, string whatOnError) where T : class
    {
        if (String(name) is not { } raw) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(raw, JsonBotAPI.Options);
        }
        catch (JsonException)
        {
            throw BotApiException.BadRequest($"can't parse {whatOnError}");
        }
    }
}
