namespace CodeQuiz.Core.Live;

/// <summary>
/// Pages that want to hear of changes. Each call of <see cref="Notify"/> is passed on at most once per interval, and
/// each subscriber is called on the thread pool, never on the notifier's thread, and on its own: one that is slow to
/// render or to read the database gets the next change once it is done, and holds back neither the caller nor the others.
/// </summary>
public sealed class ThrottledSubscribers(TimeProvider time, TimeSpan interval)
{
    readonly Lock _gate = new();
    readonly List<Subscription> _subscribers = [];
    bool _pending, _notifying;

    /// <summary>Calls <paramref name="onChanged"/> after changes until the result is disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChanged)
    {
        var subscription = new Subscription(this, onChanged);
        lock (_gate) _subscribers.Add(subscription);
        return subscription;
    }

    /// <summary>How many are subscribed: a page that is gone must not stay among them.</summary>
    internal int Count
    {
        get { lock (_gate) return _subscribers.Count; }
    }

    /// <summary>Something changed: every subscriber hears of it within the interval. Returns at once.</summary>
    public void Notify()
    {
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
            await Task.Delay(interval, time);
        }
    }

    /// <summary>One subscriber's calls: never two at once, and a change told meanwhile is delivered once the call returns.</summary>
    sealed class Subscription(ThrottledSubscribers owner, Func<Task> callback) : IDisposable
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
