using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace CodeQuiz.Web.Telegram;

/// <summary>
/// Polling mode: long-polls getUpdates into the same durable pipeline as the webhook. Each page of up to
/// 100 updates is queued whole (the writer takes it in one batch), and the next offset — which tells
/// Telegram the page is done — is asked for only after that batch committed: a crash re-reads, never loses.
/// A poll that outlives its long-poll time by Outbox:CallTimeoutSeconds is given up and made again with the
/// same offset: a connection that went dead would otherwise hold every update until the HTTP client's 60 s.
/// </summary>
public sealed partial class PollingService(
    ITelegramBotClient bot,
    IngestQueue queue,
    BatchWriter writer,
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
                    identity.Learn((await bot.GetMe(stoppingToken)).Username, logger);
                    await bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken);
                    LogPolling(identity.Username);
                    ready = true;
                }

                var updates = await PollAsync(offset, stoppingToken);
                counters.Outage.Clear(); // Telegram answered
                if (updates.Length == 0) continue;
                polled = true;

                var now = time.GetUtcNow();
                var items = updates.Select(u => new UpdateItem(u, now)).ToList();
                foreach (var item in items)
                    await queue.EnqueueAsync(item, stoppingToken);
                await Task.WhenAll(items.Select(i => i.Completion)).WaitAsync(stoppingToken); // stored, or refused: then fetched again
                offset = updates[^1].Id + 1;
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
                    counters.Outage.Raise(time.GetUtcNow(), message); // the console says since when
                LogPollingFailed(message, backoff.TotalSeconds);
                if (conflict) ready = false; // delete the webhook again before the next poll
                try { await Task.Delay(backoff, time, stoppingToken); } catch (OperationCanceledException) { break; }
                // A poll every 10 s at most while Telegram is away costs nothing, and updates flow soon after it is back.
                backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoffSeconds, backoff.TotalSeconds * 2));
            }
        }
    }

    async Task<global::Telegram.Bot.Types.Update[]> PollAsync(int? offset, CancellationToken stoppingToken)
    {
        var longPoll = telegram.Value.LongPollSeconds;
        var deadline = TimeSpan.FromSeconds(longPoll + outbox.Value.CallTimeoutSeconds);
        // On the real clock: it guards against a connection that went dead, whatever clock the quiz runs on.
        using var call = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        call.CancelAfter(deadline);
        try
        {
            return await bot.GetUpdates(offset, PageSize, longPoll, BotConversation.Updates, call.Token);
        }
        catch (OperationCanceledException e) when (call.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Telegram did not answer getUpdates within {deadline.TotalSeconds:0} s.", e);
        }
    }

    [LoggerMessage(LogLevel.Information, "Polling Telegram for updates as @{Username}")]
    partial void LogPolling(string? username);

    [LoggerMessage(LogLevel.Warning, "{Message} Retrying in {Seconds} s.")]
    partial void LogPollingFailed(string message, double seconds);
}
