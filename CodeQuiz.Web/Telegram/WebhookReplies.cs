using CodeQuiz.Core.Ingest;

namespace CodeQuiz.Web.Telegram;

/// <summary>
/// With Outbox:ReplyInWebhookResponse the writer hands an update's first reply to the webhook request that brought it. A
/// request that stopped waiting (Telegram gave up on it, or the 30 s wait ran out) has no body left to carry it: once the
/// update is stored, the reply goes through the outbox instead. Telegram sends such an update again, finds it stored and
/// gets a bare 200, so without this the participant would never hear back; for the same reason a reply storage refuses is
/// offered again (<see cref="GiveUpAfter"/>), until the app stops.
/// </summary>
public sealed partial class WebhookReplies(IngestQueue queue, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<WebhookReplies> logger)
{
    /// <summary>How long a reply storage refuses (its disk full, say) is offered again, waiting longer each time, up to a minute.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    /// <summary>The request of <paramref name="item"/> no longer waits: its reply, if it gets one, is sent through the outbox.</summary>
    public void TakeOver(UpdateItem item)
    {
        item.GiveUpWaiting(); // a writer yet to decide puts the reply in the outbox with the update's other messages
        _ = SendOnceStoredAsync(item);
    }

    /// <summary>The writer decided before it learnt the request gave up: the reply it handed over is queued on its own.</summary>
    async Task SendOnceStoredAsync(UpdateItem item)
    {
        IngestOutcome outcome;
        try
        {
            outcome = await item.Completion;
        }
        catch (Exception)
        {
            return; // not stored: Telegram sends the update again, and the reply is decided again
        }
        if (outcome.WebhookReply is not { } reply)
            return;
        var stopping = lifetime.ApplicationStopping;
        var giveUpAt = time.GetUtcNow() + GiveUpAfter;
        for (var wait = TimeSpan.FromSeconds(1); ; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.TicksPerMinute)))
        {
            var unsent = new UnsentReplyItem(reply);
            try
            {
                await queue.EnqueueAsync(unsent, stopping);
                await unsent.Completion;
                return;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && time.GetUtcNow() + wait < giveUpAt)
            {
                // Telegram will not send the update again (it is stored), so this is the participant's only reply.
                LogReplyNotStoredYet(e, item.Update.Id, reply.ChatId, wait.TotalSeconds);
            }
            catch (Exception e)
            {
                LogReplyLost(e, item.Update.Id, reply.ChatId);
                return;
            }
            try
            {
                await Task.Delay(wait, time, stopping);
            }
            catch (OperationCanceledException)
            {
                LogReplyLost(null, item.Update.Id, reply.ChatId);
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "The reply to update {UpdateId} (chat {ChatId}), whose webhook request stopped waiting, could not be stored for the outbox; trying again in {Seconds} s")]
    partial void LogReplyNotStoredYet(Exception e, int updateId, string chatId, double seconds);

    [LoggerMessage(LogLevel.Error, "The reply to update {UpdateId} (chat {ChatId}), whose webhook request stopped waiting, could not be stored for the outbox and is given up")]
    partial void LogReplyLost(Exception? e, int updateId, string chatId);
}
