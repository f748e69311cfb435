using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeQuiz.Tests.Reliability;

/// <summary>One Bot API call that reached the fake Telegram.</summary>
sealed record BotCall(string Method, string? ChatId, string? Text, string? ParseMode, DateTimeOffset At, bool Accepted);

/// <summary>
/// Telegram's Bot API on a real Kestrel port, in the test process: answers getMe, setWebhook, getWebhookInfo,
/// sendMessage, the edits and answerCallbackQuery; hands out the updates a test queued through getUpdates, forgetting
/// each as Telegram does once an offset past it is asked for; checks HTML texts as strictly as Telegram does (400
/// otherwise); records every call; and fails on purpose (5xx, 429 storms, stalls, a kill mid-call) when a test says so.
/// </summary>
sealed class FakeBotApi : IAsyncDisposable
{
    readonly WebApplication _app;
    int _nextMessageId = 1000;
    readonly Queue<(long Id, JsonNode Update)> _waiting = new(); // getUpdates' queue, in update_id order
    long _highestOffset, _lastQueued;

    FakeBotApi(WebApplication app) => _app = app;

    /// <summary>scheme://host:port, for Telegram:ApiBaseUrl.</summary>
    public string BaseUrl { get; private set; } = "";

    public ConcurrentQueue<BotCall> Calls { get; } = new();

    /// <summary>Tokens the calls were made with (the bot must use exactly the configured one).</summary>
    public ConcurrentDictionary<string, int> Tokens { get; } = new();

    /// <summary>Texts Telegram would have refused, with the reason.</summary>
    public ConcurrentQueue<(string Text, string Error)> HtmlErrors { get; } = new();

    /// <summary>Runs before each call is answered; may return a failure to answer with instead.</summary>
    public Func<BotCall, HttpContext, Task<IResult?>>? Intercept { get; set; }

    public IEnumerable<BotCall> Delivered => Calls.Where(c => c.Accepted && IsMessage(c.Method));

    /// <summary>
    /// The highest offset getUpdates was called with: Telegram has forgotten every update with a lower id, so any of
    /// them not yet stored is lost for good.
    /// </summary>
    public long HighestOffset => Interlocked.Read(ref _highestOffset);

    /// <summary>While true, getUpdates finds nothing new, as if no one had written yet (offsets are still confirmed).</summary>
    public bool HoldUpdates { get; set; }

    /// <summary>Updates queued for getUpdates and not yet confirmed.</summary>
    public int Waiting { get { lock (_waiting) return _waiting.Count; } }

    /// <summary>Updates waiting for getUpdates, as they wait at Telegram for a bot in Polling mode (ids must grow).</summary>
    public void QueueUpdates(IEnumerable<(long Id, JsonNode Update)> updates)
    {
        lock (_waiting)
            foreach (var update in updates)
            {
                if (update.Id <= _lastQueued) throw new ArgumentException("update ids must grow");
                _waiting.Enqueue(update);
                _lastQueued = update.Id;
            }
    }

    /// <summary>Like Telegram, on receiving getUpdates: every update below its offset is confirmed, and forgotten.</summary>
    void Confirm(JsonObject body)
    {
        if (body["offset"]?.GetValue<long>() is not long offset || offset <= 0) return;
        lock (_waiting)
        {
            while (_waiting.Count > 0 && _waiting.Peek().Id < offset) _waiting.Dequeue();
            if (offset > _highestOffset) Interlocked.Exchange(ref _highestOffset, offset);
        }
    }

    /// <summary>Up to limit (100 by default) of the waiting updates at once; none after a short wait rather than the whole long poll.</summary>
    async Task<JsonArray> PageAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(body["limit"]?.GetValue<int>() ?? 100, 1, 100);
        lock (_waiting)
            if (_waiting.Count > 0 && !HoldUpdates)
                return [.. _waiting.Take(limit).Select(u => u.Update.DeepClone())];
        try { await Task.Delay(body["timeout"]?.GetValue<int>() > 0 ? 100 : 20, cancellationToken); } catch (OperationCanceledException) { }
        return [];
    }

    public static bool IsMessage(string method) => method is "sendMessage" or "editMessageText" or "editMessageReplyMarkup" or "answerCallbackQuery";

    public static async Task<FakeBotApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeBotApi(app);
        app.MapPost("/bot{token}/{method}", fake.HandleAsync);
        app.MapGet("/bot{token}/{method}", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    async Task<IResult> HandleAsync(string token, string method, HttpContext context)
    {
        Tokens.AddOrUpdate(token, 1, (_, n) => n + 1);
        JsonObject body;
        try
        {
            body = context.Request.HasJsonContentType()
                ? (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? []
                : [];
        }
        catch (JsonException) { return Error(400, "Bad Request: can't parse JSON"); }

        var chat = body["chat_id"]?.ToString();
        var text = body["text"]?.ToString();
        var parseMode = body["parse_mode"]?.ToString();
        var call = new BotCall(method, chat, text, parseMode, DateTimeOffset.UtcNow, Accepted: false);
        if (method == "getUpdates") Confirm(body); // on receipt: a bot killed before the answer has confirmed all the same

        if (Intercept is { } intercept && await intercept(call, context) is { } failure)
        {
            Calls.Enqueue(call);
            return failure;
        }
        if (IsMessage(method))
        {
            if (text is not null && parseMode?.Equals("HTML", StringComparison.OrdinalIgnoreCase) == true)
            {
                try { CodeQuiz.Web.Rehearsal.TelegramHtml.Parse(text); }
                catch (CodeQuiz.Web.Rehearsal.BotApiException e)
                {
                    HtmlErrors.Enqueue((text, e.Description));
                    Calls.Enqueue(call);
                    return Error(400, e.Description);
                }
            }
        }
        Calls.Enqueue(call with { Accepted = true });

        return method switch
        {
            "getMe" => Ok(new JsonObject { ["id"] = 123456, ["is_bot"] = true, ["first_name"] = "Quiz", ["username"] = "codequiz_fake_bot" }),
            "setWebhook" or "deleteWebhook" => Ok(true),
            "getWebhookInfo" => Ok(new JsonObject { ["url"] = "https://quiz.example.org/telegram/webhook", ["has_custom_certificate"] = false, ["pending_update_count"] = 0 }),
            "answerCallbackQuery" => Ok(true),
            "sendMessage" or "editMessageText" or "editMessageReplyMarkup" => Ok(MessageJson(body, chat)),
            "getUpdates" => Ok(await PageAsync(body, context.RequestAborted)),
            _ => Error(404, "Not Found: method not found"),
        };
    }

    JsonObject MessageJson(JsonObject body, string? chat)
    {
        var id = body["message_id"]?.GetValue<int>() ?? Interlocked.Increment(ref _nextMessageId);
        var isChannel = chat?.StartsWith('@') == true || chat?.StartsWith("-100", StringComparison.Ordinal) == true;
        return new JsonObject
        {
            ["message_id"] = id,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = isChannel
                ? new JsonObject { ["id"] = -1001234567890L, ["type"] = "channel", ["title"] = "Code Week" }
                : new JsonObject { ["id"] = long.TryParse(chat, out var c) ? c : 1, ["type"] = "private", ["first_name"] = "P" },
            ["text"] = "ok",
        };
    }

    static IResult Ok(JsonNode result) => Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });

    public static IResult Error(int code, string description, int? retryAfter = null)
    {
        var json = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is int wait) json["parameters"] = new JsonObject { ["retry_after"] = wait };
        return Results.Json(json, statusCode: code);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
