namespace CodeQuiz.Core.Live;

/// <summary>
/// The latest <see cref="LiveSnapshot"/> and its subscribers. The batch writer publishes once per
/// batch; subscribers are called at most <see cref="MaxNotificationsPerSecond"/> times a second with
/// whatever is newest, so a thousand answers a second never means a thousand renders. Each is called on the
/// thread pool, never on the publisher's thread, and on its own: a page that is slow to render or to read the
/// database gets the next change once it is done, and holds back neither the writer nor the other pages and screens.
/// </summary>
public sealed class LiveStats(TimeProvider time)
{
    public const int MaxNotificationsPerSecond = 4;
    static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1.0 / MaxNotificationsPerSecond);

    readonly Lock _gate = new();
    readonly List<Subscription> _subscribers = [];
    LiveSnapshot _current = LiveSnapshot.Empty;
    bool _pending, _notifying;

    public LiveSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised while the batch writer cannot store what arrives (the disk full, say): nothing is acknowledged then.</summary>
    public TroubleFlag Storage { get; } = new();

    /// <summary>
    /// Raised while SQLite's write-ahead log keeps growing (its size is the last error): another program holds the database
    /// open, so the log is not copied into the database file. Answers are still stored; the disk fills meanwhile.
    /// </summary>
    public TroubleFlag LogGrowth { get; } = new();

    int _rankings;

    /// <summary>
    /// Changes when a participant is left out of the rankings or ranked again, forgotten, or renamed or moved to another
    /// team after answering: podiums, leaderboards and questions' results computed before are stale.
    /// </summary>
    public int RankingsVersion => Volatile.Read(ref _rankings);

    public void RankingsChanged() => Interlocked.Increment(ref _rankings);

    /// <summary>Calls <paramref name="onChanged"/> after changes (throttled) until the result is disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChanged)
    {
        var subscription = new Subscription(this, onChanged);
        lock (_gate) _subscribers.Add(subscription);
        return subscription;
    }

    public void Publish(LiveSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        lock (_gate)
        {
            _pending = true;
            if (_notifying) return;
            _notifying = true;
        }
        _ = NotifyLoopAsync();
    }

    async Task NotifyLoopAsync()
    {
        while (true)
        {
            Subscription[] subscribers;
            lock (_gate)
            {
                if (!_pending) { _notifying = false; return; }
                _pending = false;
                subscribers = [.. _subscribers];
            }
            foreach (var subscriber in subscribers)
                subscriber.Notify();
            await Task.Delay(MinInterval, time);
        }
    }

    /// <summary>One subscriber's calls: never two at once, and a change told meanwhile is delivered once the call returns.</summary>
    sealed class Subscription(LiveStats owner, Func<Task> callback) : IDisposable
    {
        readonly Lock _gate = new();
        bool _running, _again, _disposed;

        public void Notify()
        {
            lock (_gate)
            {
                if (_disposed) return;
                if (_running) { _again = true; return; }
                _running = true;
            }
            _ = Task.Run(RunAsync);
        }

        async Task RunAsync()
        {
            while (true)
            {
                try { await callback(); }
                catch (Exception) { /* a failing subscriber (a closed circuit) must not stop the others */ }
                lock (_gate)
                {
                    if (!_again || _disposed) { _running = false; return; }
                    _again = false;
                }
            }
        }

        public void Dispose()
        {
            lock (_gate) _disposed = true;
            lock (owner._gate) owner._subscribers.Remove(this);
        }
    }
}
