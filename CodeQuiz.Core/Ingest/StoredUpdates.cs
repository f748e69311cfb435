namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The update_ids stored most recently: committed and, with group commit, on disk. Telegram sends an update again
/// when our answer did not reach it in time, which happens when the server is busiest; the webhook answers such a
/// repeat at once instead of queueing it behind new work. An id that has dropped out of the window still gets the
/// right answer: it goes through the queue, and the database's UNIQUE update_id marks it as a repeat.
/// </summary>
public sealed class StoredUpdates
{
    public const int Capacity = 1 << 16;

    readonly Lock _gate = new();
    readonly HashSet<long> _ids = new(Capacity);
    readonly long[] _order = new long[Capacity];
    int _next, _count;

    /// <summary>Called only once the update is durable: a repeat answered from here must never be lost.</summary>
    public void Add(long updateId)
    {
        lock (_gate)
        {
            if (!_ids.Add(updateId)) return;
            if (_count == Capacity) _ids.Remove(_order[_next]);
            else _count++;
            _order[_next] = updateId;
            _next = (_next + 1) % Capacity;
        }
    }

    public bool Contains(long updateId)
    {
        lock (_gate) return _ids.Contains(updateId);
    }
}
