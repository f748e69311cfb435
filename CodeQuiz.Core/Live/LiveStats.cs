namespace CodeQuiz.Core.Live;

/// <summary>
/// The latest <see cref="LiveSnapshot"/> and its subscribers. The batch writer publishes once per
/// batch; subscribers are called at most <see cref="MaxNotificationsPerSecond"/> times a second with
/// whatever is newest, so a thousand answers a second never means a thousand renders. Each is called on the
/// thread pool, never on the writer's thread, and on its own (<see cref="ThrottledSubscribers"/>): a page that is slow
/// to render or to read the database holds back neither the writer nor the other pages and screens.
/// </summary>
public sealed class LiveStats(TimeProvider time)
{
    public const int MaxNotificationsPerSecond = 4;
    static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1.0 / MaxNotificationsPerSecond);

    readonly ThrottledSubscribers _subscribers = new(time, MinInterval);
    LiveSnapshot _current = LiveSnapshot.Empty;

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
    public IDisposable Subscribe(Func<Task> onChanged) => _subscribers.Subscribe(onChanged);

    public void Publish(LiveSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        _subscribers.Notify();
    }
}
