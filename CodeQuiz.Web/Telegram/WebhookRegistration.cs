using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace CodeQuiz.Web.Telegram;

/// <summary>
/// Webhook and Rehearsal modes: once the app listens, learn the bot's name (getMe), register the webhook
/// (secret, max_connections, allowed_updates) and then read getWebhookInfo every minute for the status page.
/// </summary>
public sealed partial class WebhookRegistration(
    ITelegramBotClient bot,
    IOptions<TelegramOptions> options,
    WebhookSecret secret,
    AppAddress address,
    BatchWriter writer,
    BotAdoption adoption,
    BotIdentity identity,
    BotStatus status,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<WebhookRegistration> logger) : BackgroundService
{
    static readonly TimeSpan InfoInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        await writer.Ready.WaitAsync(stoppingToken);

        var url = WebhookUrl();
        if (options.Value.EffectiveMode == TelegramMode.Rehearsal)
            LogRehearsal(address.Current?.ToString() ?? "(unknown address)");

        var backoff = TimeSpan.FromSeconds(1);
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var justRegistered = !registered;
                if (!registered)
                {
                    var me = await bot.GetMe(stoppingToken);
                    identity.Learn(me.Username, logger);
                    await adoption.ConfirmAsync(me.Id, stoppingToken);
                    await bot.SetWebhook(url, maxConnections: options.Value.MaxConnections,
                        allowedUpdates: BotConversation.Updates,
                        secretToken: secret.Value, cancellationToken: stoppingToken);
                    registered = true;
                    backoff = TimeSpan.FromSeconds(1);
                    LogRegistered(identity.Username, url);
                }
                var info = await bot.GetWebhookInfo(stoppingToken);
                status.Webhook = info;
                status.WebhookCheckedAt = time.GetUtcNow();
                if (!justRegistered && string.IsNullOrEmpty(info.Url))
                {
                    // Deleted since (a copy of the app in Polling mode with this bot's token, on a laptop, say): updates
                    // would wait at Telegram. Take them back, and say so.
                    status.Failed("The webhook was deleted by something else with this bot's token; CodeQuiz registered it again.", time.GetUtcNow());
                    LogTakenBack(url);
                    registered = false;
                    continue;
                }
                if (!justRegistered && info.Url != url)
                {
                    // Moved to another address on purpose (a new deployment) or by mistake (a staging copy): taking it
                    // back would have the two fight over the bot. An organizer decides; the status page says so.
                    status.Failed($"The webhook now points to {info.Url}, not to this server ({url}): updates go there. Restart this server to take them back.", time.GetUtcNow());
                    LogMoved(info.Url!, url);
                }
                await Task.Delay(InfoInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // The app is stopping, and a call cut short by it (the rehearsal's simulator stops first) is no trouble with Telegram.
                break;
            }
            catch (Exception e)
            {
                var message = $"Talking to Telegram failed: {Sentence(e.GetBaseException().Message)}";
                status.Failed(message, time.GetUtcNow());
                LogFailed(message, backoff.TotalSeconds);
                try { await Task.Delay(backoff, time, stoppingToken); } catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromSeconds(Math.Min(60, backoff.TotalSeconds * 2));
            }
        }
    }

    /// <summary>"Connection refused" ends with a full stop before the log's "Retrying in 1 s." and on the status page.</summary>
    static string Sentence(string text) => text.TrimEnd() is var t && t.Length > 0 && !char.IsPunctuation(t[^1]) ? t + "." : t;

    string WebhookUrl() => options.Value.EffectiveMode == TelegramMode.Rehearsal
        ? new Uri(address.Current ?? new Uri("http://localhost"), WebhookEndpoints.Path).ToString()
        : options.Value.WebhookUrl!;

    [LoggerMessage(LogLevel.Information, "CodeQuiz is in Rehearsal mode with its built-in Telegram simulator. Open the console at {Url}")]
    partial void LogRehearsal(string url);

    [LoggerMessage(LogLevel.Information, "Webhook of @{Username} registered at {Url}")]
    partial void LogRegistered(string? username, string url);

    [LoggerMessage(LogLevel.Warning, "The webhook was deleted by something else with this bot's token; registering {Url} again")]
    partial void LogTakenBack(string url);

    [LoggerMessage(LogLevel.Warning, "The webhook points to {Other}, not to {Url}: updates go there until this server restarts")]
    partial void LogMoved(string other, string url);

    [LoggerMessage(LogLevel.Warning, "{Message} Retrying in {Seconds} s.")]
    partial void LogFailed(string message, double seconds);
}
