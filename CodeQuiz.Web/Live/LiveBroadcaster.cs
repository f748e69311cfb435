using System.Text.Json;
using System.Threading.Channels;
using CodeQuiz.Core.Live;
using Microsoft.AspNetCore.SignalR;

namespace CodeQuiz.Web.Live;

/// <summary>
/// The one subscriber of <see cref="LiveStats"/> for the hub: after each (throttled) change, and once a second for
/// what only time changes (podium → leaderboard), it builds each watched event's public view and sends it to that
/// event's group when it differs from the last one sent. Screens never cost a message per answer.
/// </summary>
public sealed class LiveBroadcaster(
    LiveStats live,
    PresenterFeed feed,
    PresenterAudience audience,
    IHubContext<LiveHub> hub,
    TimeProvider time,
    ILogger<LiveBroadcaster> log) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a round waits for its sends. A screen whose network dropped without a word holds a send to its group until
    /// the server gives up on it (half a minute): the other groups' sends go out beside it, and the next round does not wait.
    /// </summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly Dictionary<string, string> _lastSent = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = live.Subscribe(() =>
        {
            _wake.Writer.TryWrite(true);
            return Task.CompletedTask;
        });
        var ticking = TickAsync(stoppingToken);
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stoppingToken))
            {
                _wake.Reader.TryRead(out _);
                try
                {
                    await BroadcastAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A database hiccup must not end the feed: the next change or tick tries again.
                    log.LogWarning(e, "Presenter broadcast failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await ticking;
    }

    async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                _wake.Writer.TryWrite(true);
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task BroadcastAsync(CancellationToken cancellationToken)
    {
        var watched = audience.Tokens;
        foreach (var gone in _lastSent.Keys.Except(watched).ToList())
            _lastSent.Remove(gone);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sends = new List<(string Token, Task Send)>();
        foreach (var token in watched)
        {
            var group = hub.Clients.Group(PresenterAudience.GroupOf(token));
            var view = await feed.FindAsync(token, cancellationToken);
            if (view is null)
            {
                sends.Add((token, group.SendAsync("revoked", timeout.Token)));
                audience.Forget(token);
                _lastSent.Remove(token);
                continue;
            }

            var fingerprint = JsonSerializer.Serialize(view with { ServerTime = default });
            if (_lastSent.TryGetValue(token, out var last) && last == fingerprint)
                continue;
            _lastSent[token] = fingerprint;
            sends.Add((token, group.SendAsync("state", view, timeout.Token)));
        }

        timeout.CancelAfter(SendTimeout);
        try
        {
            await Task.WhenAll(sends.Select(s => s.Send));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The group's other screens have it; the one that did not take it is sent the view again next round (the server
            // drops a connection that stays silent, and the screen joins again once its network is back).
            foreach (var (token, _) in sends.Where(s => s.Send.IsCanceled))
                _lastSent.Remove(token);
            log.LogInformation("A presenter screen did not take its update within {Seconds} s", SendTimeout.TotalSeconds);
        }
    }
}
