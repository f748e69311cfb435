using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeQuiz.Bench;

/// <summary>
/// The smallest Bot API the server needs for outgoing calls (getMe, setWebhook, getWebhookInfo, deleteWebhook,
/// sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery) and a getUpdates that hands out
/// preloaded traffic for the polling run. It answers at once: the benchmark measures CodeQuiz, not Telegram.
/// </summary>
public sealed class FakeBotApi : IAsyncDisposable
{
    public const long BotId = 100200300;
    public const string Token = "100200300:bench-token_for-a-fake-bot-api";
    public const string BotUsername = "codequiz_bench_bot";

    readonly WebApplication _app;
    readonly ConcurrentDictionary<string, int> _calls = new();
    readonly ConcurrentQueue<ChannelPost> _channelPosts = new();
    int _messageId = 1000;

    // Polling: the preloaded updates in order, and how far the server has confirmed them.
    readonly Lock _pollLock = new();
    long[] _pollIds = [];
    byte[][] _pollBodies = [];
    int _pollCursor;
    long _firstPollTimestamp, _drainedTimestamp;

    FakeBotApi(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public int Calls(string method) => _calls.GetValueOrDefault(method);

    /// <summary>Messages and edits sent to a channel (chat ids starting with @), as they arrived.</summary>
    public IReadOnlyCollection<ChannelPost> ChannelPosts => _channelPosts;

    public static async Task<FakeBotApi> StartAsync()
    {
        // Not watching its settings: its content root is the folder the benchmark is started from, and a watcher there,
        // every folder below included, would be woken by each write to the server's database when that folder holds it.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new FakeBotApi(app);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseAddress = new Uri(address);
        return api;
    }

    /// <summary>Replaces the getUpdates backlog; the polling run then measures until the server confirmed all of it.</summary>
    public void PreloadUpdates(IReadOnlyList<(long Id, byte[] Body, StepKind Kind)> updates)
    {
        lock (_pollLock)
        {
            _pollIds = updates.Select(u => u.Id).ToArray();
            _pollBodies = updates.Select(u => u.Body).ToArray();
            _pollCursor = 0;
            _firstPollTimestamp = _drainedTimestamp = 0;
        }
    }

    /// <summary>From the first getUpdates to the one whose offset confirmed the last preloaded update; null until then.</summary>
    public TimeSpan? PollingDrainTime
    {
        get
        {
            lock (_pollLock)
                return _drainedTimestamp == 0 ? null : Stopwatch.GetElapsedTime(_firstPollTimestamp, _drainedTimestamp);
        }
    }

    /// <summary>/bot{token}/{method}, answered the way the Bot API answers.</summary>
    async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var slash = path.LastIndexOf('/');
        var token = path.StartsWith("/bot", StringComparison.Ordinal) && slash > 4 ? path[4..slash] : "";
        var method = path[(slash + 1)..];
        if (token != Token)
        {
            await WriteAsync(context, 401, """{"ok":false,"error_code":401,"description":"Unauthorized"}""");
            return;
        }
        _calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        using var body = await ReadBodyAsync(context.Request);
        var p = body.RootElement;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (method)
        {
            case "getMe":
                await OkAsync(context, $$"""{"id":{{BotId}},"is_bot":true,"first_name":"CodeQuiz Bench","username":"{{BotUsername}}","can_join_groups":false,"can_read_all_group_messages":false,"supports_inline_queries":false}""");
                break;
            case "setWebhook" or "deleteWebhook":
                await OkAsync(context, "true");
                break;
            case "getWebhookInfo":
                await OkAsync(context, """{"url":"https://bench.invalid/telegram/webhook","has_custom_certificate":false,"pending_update_count":0,"max_connections":100}""");
                break;
            case "sendMessage" or "editMessageText" or "editMessageReplyMarkup":
            {
                var chat = Property(p, "chat_id");
                var id = method == "sendMessage" ? Interlocked.Increment(ref _messageId) : int.TryParse(Property(p, "message_id"), out var m) ? m : 1;
                var isChannel = chat.StartsWith('@');
                if (isChannel)
                    _channelPosts.Enqueue(new ChannelPost(method, Property(p, "text"), Stopwatch.GetTimestamp()));
                var chatJson = isChannel
                    ? """{"id":-1001002003004,"type":"channel","title":"CodeQuiz bench","username":"codequiz_bench"}"""
                    : $$"""{"id":{{chat}},"type":"private","first_name":"Bench"}""";
                await OkAsync(context, $$"""{"message_id":{{id}},"date":{{now}},"chat":{{chatJson}},"text":{{JsonSerializer.Serialize(Property(p, "text"))}}}""");
                break;
            }
            case "answerCallbackQuery":
                await OkAsync(context, "true");
                break;
            case "getUpdates":
                await GetUpdatesAsync(context, p);
                break;
            default:
                await WriteAsync(context, 400, $$"""{"ok":false,"error_code":400,"description":"Bad Request: method {{method}} is not in the bench's fake Bot API"}""");
                break;
        }
    }

    async Task GetUpdatesAsync(HttpContext context, JsonElement p)
    {
        var offset = long.TryParse(Property(p, "offset"), out var o) ? o : 0;
        var limit = int.TryParse(Property(p, "limit"), out var l) ? Math.Clamp(l, 1, 100) : 100;
        var timeout = int.TryParse(Property(p, "timeout"), out var t) ? t : 0;
        byte[][] page;
        lock (_pollLock)
        {
            if (_firstPollTimestamp == 0 && _pollIds.Length > 0) _firstPollTimestamp = Stopwatch.GetTimestamp();
            // An offset confirms every update below it, as at Telegram.
            while (_pollCursor < _pollIds.Length && _pollIds[_pollCursor] < offset) _pollCursor++;
            if (_pollCursor == _pollIds.Length && _pollIds.Length > 0 && _drainedTimestamp == 0 && offset > _pollIds[^1])
                _drainedTimestamp = Stopwatch.GetTimestamp();
            var count = Math.Min(limit, _pollIds.Length - _pollCursor);
            page = _pollBodies.AsSpan(_pollCursor, count).ToArray();
        }
        if (page.Length == 0)
        {
            // Long poll: nothing new; hold the call a little, as Telegram would.
            try { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(timeout * 1000, 500)), context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        context.Response.ContentType = "application/json";
        var output = context.Response.Body;
        await output.WriteAsync("""{"ok":true,"result":["""u8.ToArray());
        for (var i = 0; i < page.Length; i++)
        {
            if (i > 0) await output.WriteAsync(","u8.ToArray());
            await output.WriteAsync(page[i]);
        }
        await output.WriteAsync("]}"u8.ToArray());
    }

    static async Task<JsonDocument> ReadBodyAsync(HttpRequest request)
    {
        if (request.HasJsonContentType())
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            return buffer.Length == 0 ? JsonDocument.Parse("{}") : JsonDocument.Parse(buffer.ToArray());
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return JsonDocument.Parse(JsonSerializer.Serialize(form.ToDictionary(f => f.Key, f => f.Value.ToString())));
        }
        return JsonDocument.Parse("{}");
    }

    static string Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()
            : "";

    static Task OkAsync(HttpContext context, string resultJson) =>
        WriteAsync(context, 200, $$"""{"ok":true,"result":{{resultJson}}}""");

    static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ChannelPost(string Method, string Text, long Timestamp);
