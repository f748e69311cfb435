using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Web.Telegram;

/// <summary>
/// Polling mode: long-polls getUpdates into the same durable pipeline as the webhook. Each page of up to
/// 100 updates is queued whole (the writer takes it in one batch), and the next offset — which tells
/// Telegram the page is done — is asked for only after that batch committed: a crash re-reads, never loses.
/// </summary>
public sealed partial class PollingService(
    ITelegramBotClient bot,
    IngestQueue queue,
    BatchWriter writer,
    BotIdentity identity,
    BotStatus status,
    TimeProvider time,
    ILogger<PollingService> logger) : BackgroundService
{
    const int PageSize = 100, LongPollSeconds = 25;
    static readonly UpdateType[] Allowed = [UpdateType.Message, UpdateType.CallbackQuery];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await writer.Ready.WaitAsync(stoppingToken);
        var backoff = TimeSpan.FromSeconds(1);
        var ready = false;
        int? offset = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!ready)
                {
                    identity.Learn((await bot.GetMe(stoppingToken)).Username, logger);
                    await bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken);
                    LogPolling(identity.Username);
                    ready = true;
                }

                var updates = await bot.GetUpdates(offset, PageSize, LongPollSeconds, Allowed, stoppingToken);
                if (updates.Length == 0) continue;

                var now = time.GetUtcNow();
                var items = updates.Select(u => new UpdateItem(u, now)).ToList();
                foreach (var item in items)
                    await queue.EnqueueAsync(item, stoppingToken);
                await Task.WhenAll(items.Select(i => i.Completion));
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
                var message = conflict
                    ? "Telegram refused getUpdates with 409 Conflict: a webhook is set or another instance is polling."
                    : $"Polling Telegram failed: {e.GetBaseException().Message}";
                status.Failed(message, time.GetUtcNow());
                LogPollingFailed(message, backoff.TotalSeconds);
                if (conflict) ready = false; // delete the webhook again before the next poll
                try { await Task.Delay(backoff, time, stoppingToken); } catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromSeconds(Math.Min(60, backoff.TotalSeconds * 2));
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Polling Telegram for updates as @{Username}")]
    partial void LogPolling(string? username);

    [LoggerMessage(LogLevel.Warning, "{Message} Retrying in {Seconds} s.")]
    partial void LogPollingFailed(string message, double seconds);
}
