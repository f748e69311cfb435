using System.Net;
using System.Text;
using System.Text.Json;
using Telegram.Bot;

namespace CodeQuiz.Web.Rehearsal;

public sealed partial class TelegramSimulator
{
    static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(60);
    static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Delivers pending updates to the webhook like Telegram: update_ids in order within a chat, at most one
    /// request in flight per chat and max_connections in all; a non-2xx answer or a network error is retried
    /// after a growing pause (or the Retry-After the webhook asked for), and the update stays pending meanwhile.
    /// Runs until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task RunWebhookDeliveryAsync(CancellationToken cancellationToken)
    {
        using var network = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var inFlight = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var (batch, wakeAt, changed) = NextDeliveries();
            var http = WebhookHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : network;
            foreach (var (pending, url, secret) in batch)
                inFlight.Add(DeliverAsync(http, pending, url, secret, cancellationToken));
            inFlight.RemoveAll(t => t.IsCompleted);

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waits = new List<Task> { changed };
            var due = false;
            if (wakeAt is { } at)
            {
                // The timer counts from the clock as it is now, which may have moved since the deliveries were chosen.
                var before = _time.GetUtcNow();
                var left = at - before;
                if (left > TimeSpan.Zero) waits.Add(Task.Delay(left, _time, cts.Token));
                // A clock that jumped while the timer was being set (a rehearsal test's clock) made it late: look again.
                due = left <= TimeSpan.Zero || _time.GetUtcNow() - before > TimeSpan.FromMilliseconds(1);
            }
            try
            {
                if (!due) await Task.WhenAny(waits).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) { break; }
            finally
            {
                await cts.CancelAsync();
            }
        }
        await Task.WhenAll(inFlight).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>What may go now, and when the next held-back update may go.</summary>
    (List<(PendingUpdate Pending, string Url, string? Secret)> Batch, DateTimeOffset? WakeAt, Task Changed) NextDeliveries()
    {
        lock (_gate)
        {
            var batch = new List<(PendingUpdate, string, string?)>();
            var changed = _changed.Task;
            if (_webhookUrl is not { } url || _outage) return (batch, null, changed); // an outage holds every update
            var now = _time.GetUtcNow();
            DateTimeOffset? wakeAt = null;
            var inFlight = 0;
            foreach (var p in _pending) if (p.InFlight) inFlight++;
            var chatsSeen = new HashSet<long>();
            foreach (var p in _pending)
            {
                if (inFlight >= _maxConnections) break;
                // Only the oldest pending update of a chat may go: order within a chat, one request at a time.
                if (!chatsSeen.Add(p.ChatKey) || p.InFlight) continue;
                if (p.NotBefore > now)
                {
                    if (wakeAt is null || p.NotBefore < wakeAt) wakeAt = p.NotBefore;
                    continue;
                }
                p.InFlight = true;
                inFlight++;
                batch.Add((p, url, _secretToken));
            }
            return (batch, wakeAt, changed);
        }
    }

    async Task DeliverAsync(HttpClient http, PendingUpdate pending, string url, string? secret, CancellationToken cancellationToken)
    {
        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        string? replyBody = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(JsonSerializer.Serialize(pending.Update, JsonBotAPI.Options), Encoding.UTF8, "application/json"),
            };
            if (secret is not null)
                request.Headers.TryAddWithoutValidation("X-Telegram-Bot-Api-Secret-Token", secret);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(WebhookTimeout);
            using var response = await http.SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                if (response.Content.Headers.ContentType?.MediaType == "application/json")
                    replyBody = await response.Content.ReadAsStringAsync(timeout.Token);
            }
            else
            {
                error = $"Wrong response from the webhook: {status} {response.ReasonPhrase}";
                if (response.Headers.RetryAfter is { } header)
                    retryAfter = header.Delta ?? (header.Date is { } date ? date - _time.GetUtcNow() : null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_gate) pending.InFlight = false;
            return;
        }
        catch (OperationCanceledException)
        {
            error = "Read timeout expired";
        }
        catch (HttpRequestException e)
        {
            error = e.HttpRequestError == HttpRequestError.ConnectionError ? "Connection refused" : e.Message;
        }
        catch (Exception e)
        {
            error = e.Message;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            pending.InFlight = false;
            _attempts.Add(new DeliveryAttempt(pending.Id, now, status, error));
            if (error is null)
            {
                _pending.Remove(pending);
                _delivered.Add(pending.Update);
            }
            else
            {
                pending.Attempts++;
                var backOff = TimeSpan.FromSeconds(Math.Min(MaxBackOff.TotalSeconds, Math.Pow(2, pending.Attempts - 1)));
                pending.NotBefore = now + (retryAfter is { Ticks: > 0 } asked ? asked : backOff);
                _lastErrorDate = now;
                _lastErrorMessage = error;
            }
        }
        if (error is not null)
            _log.LogDebug("Rehearsal webhook delivery of update {UpdateId} failed: {Error}", pending.Id, error);
        Changed();
        if (replyBody is not null)
            await ExecuteWebhookReplyAsync(replyBody, cancellationToken);
    }
}
