namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// Something an organizer changed in the catalog. <paramref name="EventItself"/>: the event was created, edited or
/// deleted, not only its questions. <paramref name="StartedOver"/>: the event was started over (its answers deleted,
/// every question a draft again).
/// </summary>
public sealed record CatalogChanged(int EventId, bool EventItself, bool StartedOver = false);

/// <summary>
/// Tells console pages open in other tabs and browsers that an organizer changed the catalog, once per change, so they
/// show it without a reload or polling. Subscribers are called off the saver's thread: a slow or closed tab never holds
/// up a save.
/// </summary>
public sealed class CatalogChanges
{
    readonly Lock _gate = new();
    readonly List<Func<CatalogChanged, Task>> _subscribers = [];

    /// <summary>Calls <paramref name="onChanged"/> after every change until the result is disposed.</summary>
    public IDisposable Subscribe(Func<CatalogChanged, Task> onChanged)
    {
        lock (_gate) _subscribers.Add(onChanged);
        return new Subscription(this, onChanged);
    }

    public void Publish(CatalogChanged change)
    {
        Func<CatalogChanged, Task>[] subscribers;
        lock (_gate) subscribers = [.. _subscribers];
        foreach (var subscriber in subscribers)
            _ = Task.Run(async () =>
            {
                try { await subscriber(change); }
                catch (Exception) { /* a failing subscriber (a closed circuit) must not stop the others */ }
            });
    }

    sealed class Subscription(CatalogChanges owner, Func<CatalogChanged, Task> callback) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate) owner._subscribers.Remove(callback);
        }
    }
}
