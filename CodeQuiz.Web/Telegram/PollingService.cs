using System.Net;
using System.Text;
using System.Text.Json;
using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;

namespace CodeQuiz.Web.Telegram;

/// <summary>
/// Polling mode: long-polls getUpdates into the same durable pipeline as the webhook. Each page of up to
/// 100 updates is queued whole (the writer takes it in one batch), and the next offset — which tells
/// Telegram the page is done — is asked for only after that batch committed: a crash re-reads, never loses.
/// A poll that outlives its long-poll time by Outbox:CallTimeoutSeconds is given up and made again with the
/// same offset: a connection that went dead would otherwise hold every update until the HTTP client's 60 s.
/// A page that Telegram.Bot cannot read whole (an update of a shape it does not know) is fetched again as plain JSON:
/// the updates in it that parse are stored, the others kept as dead letters, as the webhook keeps a body it cannot
/// read, and the offset moves past them all. Otherwise that page would be fetched again forever, and no update after
/// it would ever arrive.
/// </summary>
public sealed partial class PollingService(
    ITelegramBotClient bot,
    IngestQueue queue,
    BatchWriter writer,
    BotAdoption adoption,
    BotIdentity identity,
    BotStatus status,
    OutboxCounters counters,
    TimeProvider time,
    IOptions<TelegramOptions> telegram,
    IOptions<OutboxOptions> outbox,
    ILogger<PollingService> logger) : BackgroundService
{
    const int PageSize = 100, MaxBackoffSeconds = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await writer.Ready.WaitAsync(stoppingToken);
        var backoff = TimeSpan.FromSeconds(1);
        var ready = false;
        int? offset = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var polled = false; // Telegram answered: what fails after that is storing the updates, not Telegram
            try
            {
                if (!ready)
                {
                    var me = await bot.GetMe(stoppingToken);
                    identity.Learn(me.Username, logger);
                    await adoption.ConfirmAsync(me.Id, stoppingToken);
                    await bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken);
                    LogPolling(identity.Username);
                    ready = true;
                }

                var page = await PollAsync(offset, stoppingToken);
                counters.Outage.Clear(OutboxCounters.Polling); // Telegram answered getUpdates
                if (page.Items.Count == 0) continue;
                polled = true;

                foreach (var item in page.Items)
                    await queue.EnqueueAsync(item, stoppingToken);
                // Stored, or refused: then fetched again.
                await Task.WhenAll(page.Items.Select(i => i is UpdateItem u ? u.Completion : ((DeadLetterItem)i).Completion)).WaitAsync(stoppingToken);
                offset = page.NextOffset;
                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var conflict = e is ApiRequestException { ErrorCode: 409 };
                var message = polled
                    ? $"The updates Telegram gave could not be stored; they are fetched again: {e.GetBaseException().Message}"
                    : conflict
                    ? "Telegram refused getUpdates with 409 Conflict: a webhook is set or another instance is polling."
                    : $"Polling Telegram failed: {(e is TimeoutException ? e.Message : e.GetBaseException().Message)}";
                // A refused write (a full disk, a failed flush of the log, which is an IOException too) is no outage of
                // Telegram's: the console's storage warning says what is wrong, and only that.
                if (!polled)
                    status.Failed(message, time.GetUtcNow());
                if (!polled && TelegramErrors.IsOutage(e, timedOut: false))
                    counters.Outage.Raise(time.GetUtcNow(), message, OutboxCounters.Polling); // the console says since when
                LogPollingFailed(message, backoff.TotalSeconds);
                if (conflict) ready = false; // delete the webhook again before the next poll
                try { await Task.Delay(backoff, time, stoppingToken); } catch (OperationCanceledException) { break; }
                // A poll every 10 s at most while Telegram is away costs nothing, and updates flow soon after it is back.
                backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoffSeconds, backoff.TotalSeconds * 2));
            }
        }
    }

    /// <summary>The updates of one poll, in Telegram's order, and the offset that confirms them.</summary>
    sealed record Page(List<IngestItem> Items, int NextOffset);

    async Task<Page> PollAsync(int? offset, CancellationToken stoppingToken)
    {
        var longPoll = telegram.Value.LongPollSeconds;
        var deadline = TimeSpan.FromSeconds(longPoll + outbox.Value.CallTimeoutSeconds);
        // On the real clock: it guards against a connection that went dead, whatever clock the quiz runs on.
        using var call = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        call.CancelAfter(deadline);
        try
        {
            global::Telegram.Bot.Types.Update[] updates;
            try
            {
                updates = await bot.GetUpdates(offset, PageSize, longPoll, BotConversation.Updates, call.Token);
            }
            catch (RequestException e) when (e is not ApiRequestException && e.HttpStatusCode == HttpStatusCode.OK && e.InnerException is not null)
            {
                // Telegram answered, and one of the updates is of a shape Telegram.Bot cannot read: the same page as JSON,
                // without waiting (the updates are there).
                return await ReadUpdateByUpdateAsync(offset, call.Token);
            }
            var now = time.GetUtcNow();
            return new Page([.. updates.Select(u => new UpdateItem(u, now))], updates.Length == 0 ? offset ?? 0 : updates[^1].Id + 1);
        }
        catch (OperationCanceledException e) when (call.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Telegram did not answer getUpdates within {deadline.TotalSeconds:0} s.", e);
        }
    }

    async Task<Page> ReadUpdateByUpdateAsync(int? offset, CancellationToken cancellationToken)
    {
        var page = await bot.SendRequest(new RawGetUpdates { Offset = offset, Limit = PageSize }, cancellationToken);
        var now = time.GetUtcNow();
        var items = new List<IngestItem>(page.Length);
        var next = offset ?? 0;
        foreach (var element in page)
        {
            // Without its id no update can be confirmed, and Telegram gives every update one: a page without is no page.
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("update_id", out var id) || !id.TryGetInt32(out var updateId))
                throw new JsonException($"getUpdates returned an update without an update_id: {Shorten(element.GetRawText())}");
            var body = element.GetRawText();
            var (update, error) = WebhookEndpoints.Parse(Encoding.UTF8.GetBytes(body));
            if (update is not null)
                items.Add(new UpdateItem(update, now));
            else
            {
                LogUnreadableUpdate(updateId, error!);
                items.Add(new DeadLetterItem(body, error!, now));
            }
            next = Math.Max(next, updateId + 1);
        }
        return new Page(items, next);
    }

    static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <summary>getUpdates with each update left as JSON, to be read one by one.</summary>
    sealed class RawGetUpdates() : RequestBase<JsonElement[]>("getUpdates")
    {
        public int? Offset { get; init; }
        public int? Limit { get; init; }
    }

    [LoggerMessage(LogLevel.Information, "Polling Telegram for updates as @{Username}")]
    partial void LogPolling(string? username);

    [LoggerMessage(LogLevel.Warning, "Update {UpdateId} from getUpdates is kept as a dead letter: {Reason}")]
    partial void LogUnreadableUpdate(int updateId, string reason);

    [LoggerMessage(LogLevel.Warning, "{Message} Retrying in {Seconds} s.")]
    partial void LogPollingFailed(string message, double seconds);
}
