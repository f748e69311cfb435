using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Web.Organizers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace CodeQuiz.Web.Telegram;

/// <summary>
/// POST /telegram/webhook: check the secret, read and parse the body, queue the update and answer
/// only once the batch holding it has committed. No Telegram call and no database round trip here.
/// A repeat of one of the last updates stored is answered at once (<see cref="StoredUpdates"/>).
/// </summary>
public static class WebhookEndpoints
{
    public const string Path = "/telegram/webhook";
    public const string BaselinePath = "/telegram/webhook-baseline";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .AnswersWrongMethods();
        if (app.ServiceProvider.GetRequiredService<IOptions<IngestOptions>>().Value.BaselineEndpoint)
            app.MapPost(BaselinePath, HandleBaselineAsync)
                .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
                .AllowAnonymous()
                .DisableAntiforgery()
                .ExcludeFromDescription()
                .AnswersWrongMethods();
        return app;
    }

    /// <summary>The webhook's work up to the queue (secret, body, parse) and nothing after it: the benchmark's baseline.</summary>
    static async Task<IResult> HandleBaselineAsync(HttpContext context, WebhookSecret secret, IOptions<IngestOptions> ingest)
    {
        if (!secret.Matches(context.Request.Headers[SecretHeader]))
            return Results.Problem(statusCode: 401, title: "Wrong or missing secret token",
                detail: $"The {SecretHeader} header must carry the secret given to setWebhook.");
        var limit = ingest.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
            return TooLarge(limit);
        var body = await ReadBodyAsync(context.Request.Body, limit, context.RequestAborted);
        if (body is null)
            return TooLarge(limit);
        _ = Parse(body); // a body that is no update is acknowledged too, as the real endpoint does after keeping it
        return Results.Ok();
    }

    static async Task<IResult> HandleAsync(HttpContext context, WebhookSecret secret, IngestQueue queue, StoredUpdates stored,
        BotAdoption adoption, IOptions<IngestOptions> ingest, IOptions<OutboxOptions> outbox, WebhookReplies replies, TimeProvider time)
    {
        if (!secret.Matches(context.Request.Headers[SecretHeader]))
            return Results.Problem(statusCode: 401, title: "Wrong or missing secret token",
                detail: $"The {SecretHeader} header must carry the secret given to setWebhook.");
        if (!adoption.IsSettled)
            return WaitingForTheBot(context, adoption);

        var limit = ingest.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
            return TooLarge(limit);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;

        var receivedAt = time.GetUtcNow();
        var body = await ReadBodyAsync(context.Request.Body, limit, context.RequestAborted);
        if (body is null)
            return TooLarge(limit);

        var (update, error) = Parse(body);
        if (update is not null && stored.Contains(update.Id))
            return Results.Ok(); // Telegram sent it again: it is on disk already, and a repeat has no effect

        IngestItem item;
        if (update is null)
            item = new DeadLetterItem(Encoding.UTF8.GetString(body), error!, receivedAt);
        else
            item = new UpdateItem(update, receivedAt) { MayReplyInResponse = outbox.Value.ReplyInWebhookResponse, MayAnswerButtonInResponse = true };

        if (!queue.TryEnqueue(item))
            return Busy(context);

        IngestOutcome outcome;
        try
        {
            if (item is not UpdateItem queued)
            {
                await ((DeadLetterItem)item).Completion.WaitAsync(CommitTimeout, context.RequestAborted);
                return Results.Ok();
            }
            outcome = await queued.Completion.WaitAsync(CommitTimeout, context.RequestAborted);
        }
        catch (Exception)
        {
            // Not stored, or not yet known to be (a timeout, a refused write of whatever kind, which the writer logged):
            // Telegram will send it again, and a repeat is harmless. Always a 503 with Retry-After, never a bare 500.
            // Stored after all, its reply can no longer ride in this response: it goes through the outbox.
            if (item is UpdateItem { MayAnswerInResponse: true } waiting)
                replies.TakeOver(waiting);
            return Busy(context);
        }
        return outcome.WebhookReply is { } reply ? ReplyInResponse(reply) : Results.Ok();
    }

    /// <summary>Another bot's update ids are stored, and Telegram has not confirmed this one yet: Telegram sends the update again later.</summary>
    static IResult WaitingForTheBot(HttpContext context, BotAdoption adoption)
    {
        context.Response.Headers.RetryAfter = "5";
        return Results.Problem(statusCode: 503, title: "Waiting for Telegram to confirm the bot",
            detail: adoption.Waiting is var (stored, token)
                ? $"The stored update ids are bot {stored}'s and Telegram:BotToken is bot {token}'s: updates are taken once Telegram confirms the token (getMe)."
                : "Updates are taken once Telegram confirms the token (getMe).");
    }

    static IResult TooLarge(int limit) =>
        Results.Problem(statusCode: 413, title: "Body too large", detail: $"A Telegram update is at most {limit} bytes here.");

    static IResult Busy(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return Results.Problem(statusCode: 503, title: "Busy", detail: "The update was not stored; send it again.");
    }

    /// <summary>Reads the whole body, or returns null once it exceeds the limit.</summary>
    /// <remarks>
    /// Almost every update fits the pooled first buffer. A larger body grows in plain arrays: the shared pool keeps
    /// what is returned to it, per thread and per core, so a burst of megabyte bodies would stay in memory long after.
    /// </remarks>
    static async Task<byte[]?> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var pooled = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var buffer = pooled;
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > limit) return null;
                    var bigger = new byte[Math.Min(buffer.Length * 2, limit + 1)];
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    buffer = bigger;
                }
                int read;
                try { read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken); }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { return null; }
                if (read == 0) break;
                length += read;
                if (length > limit) return null;
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    /// <summary>An update, or why the body is not one (that goes to the dead-letter table).</summary>
    internal static (Update? Update, string? Error) Parse(byte[] body)
    {
        try
        {
            var update = JsonSerializer.Deserialize<Update>(body, JsonBotAPI.Options);
            if (update is null) return (null, "the body is JSON null");
            if (update.Id <= 0) return (null, "the update has no update_id");
            return (update, null);
        }
        catch (JsonException e)
        {
            return (null, $"not a Telegram update: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException or NotSupportedException)
        {
            return (null, $"not a Telegram update: {e.Message}");
        }
    }

    /// <summary>Telegram accepts one Bot API call in the webhook response body, saving a request: a toast, or a reply.</summary>
    static IResult ReplyInResponse(OutboxMessage reply) => new JsonBody(ResponseBody(reply));

    /// <summary>
    /// The call's JSON, written field by field as the outbox's calls send it: the toast's text, or the reply's text as HTML with
    /// its keyboard and no link preview. The keyboard is stored as the Bot API's JSON already, and goes in as it is.
    /// </summary>
    internal static byte[] ResponseBody(OutboxMessage reply)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + 3 * (reply.Text?.Length ?? 0) + (reply.ReplyMarkupJson?.Length ?? 0));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (reply.Method == OutboxMethod.AnswerCallbackQuery)
            {
                json.WriteString("method"u8, "answerCallbackQuery"u8);
                json.WriteString("callback_query_id"u8, reply.CallbackQueryId ?? "");
                if (reply.Text is { } toast)
                    json.WriteString("text"u8, toast);
            }
            else
            {
                json.WriteString("method"u8, "sendMessage"u8);
                json.WriteNumber("chat_id"u8, long.Parse(reply.ChatId, System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("text"u8, reply.Text ?? "");
                json.WriteString("parse_mode"u8, "Html"u8); // as Telegram.Bot names it in the outbox's calls
                json.WriteStartObject("link_preview_options"u8); // as the outbox sends it: a link in a reply shows no preview
                json.WriteBoolean("is_disabled"u8, true);
                json.WriteEndObject();
                if (reply.ReplyMarkupJson is { Length: > 0 } keyboard)
                {
                    json.WritePropertyName("reply_markup"u8);
                    json.WriteRawValue(keyboard);
                }
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A 200 with a JSON body already encoded.</summary>
    sealed class JsonBody(byte[] utf8) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = utf8.Length;
            return response.Body.WriteAsync(utf8).AsTask();
        }
    }
}

/// <summary>The secret Telegram must send with every webhook call, compared in constant time.</summary>
public sealed class WebhookSecret(string? secret)
{
    readonly byte[]? _expected = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);

    public string? Value { get; } = secret;

    public bool Matches(string? presented) =>
        _expected is not null && presented is not null &&
        CryptographicOperations.FixedTimeEquals(_expected, Encoding.UTF8.GetBytes(presented));
}
