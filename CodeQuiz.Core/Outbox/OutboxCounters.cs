using CodeQuiz.Core.Live;

namespace CodeQuiz.Core.Outbox;

/// <summary>
/// Outbox backlog, failures and messages sent without a COUNT(*) per batch or per page refresh (an event leaves a million
/// rows): read at start, then kept by writer and sender.
/// </summary>
public sealed class OutboxCounters
{
    long _pending, _failed, _sent;
    readonly SemaphoreSlim _signal = new(0, 1);
    readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the writer has read the counts at start: the sender counts from there, and not before.</summary>
    public Task Loaded => _loaded.Task;

    public int Pending => (int)Interlocked.Read(ref _pending);
    public int Failed => (int)Interlocked.Read(ref _failed);
    public int SentCount => (int)Interlocked.Read(ref _sent);

    public void Reset(int pending, int failed, int sent = 0)
    {
        Rewind();
        Interlocked.Exchange(ref _pending, pending);
        Interlocked.Exchange(ref _failed, failed);
        Interlocked.Exchange(ref _sent, sent);
        _loaded.TrySetResult();
    }

    /// <summary>The writer committed new rows: wake the sender.</summary>
    public void Added(int count)
    {
        if (count <= 0) return;
        Interlocked.Add(ref _pending, count);
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    /// <summary>The sender recorded a round: so many waiting rows went out, so many were given up.</summary>
    public void Settled(int sent, int failed)
    {
        Interlocked.Add(ref _pending, -(sent + failed));
        Interlocked.Add(ref _sent, sent);
        Interlocked.Add(ref _failed, failed);
    }

    /// <summary>The writer deleted rows that were waiting or had failed (an event started over).</summary>
    public void Dropped(int pending, int failed = 0)
    {
        if (pending > 0) Interlocked.Add(ref _pending, -pending);
        if (failed > 0) Interlocked.Add(ref _failed, -failed);
    }

    /// <summary>Failed rows an organizer sent again are waiting once more.</summary>
    public void Requeued(int count)
    {
        if (count <= 0) return;
        Rewind(); // their ids may be below where the sender reads from
        Interlocked.Add(ref _failed, -count);
        Added(count);
    }

    readonly Lock _cursors = new();
    readonly long[] _waitingAfter = new long[OutboxMessage.Priorities.Length];
    long _rewinds;

    /// <summary>
    /// No row of <paramref name="priority"/> waits at or below this id, for the priorities without an index of their own
    /// (<see cref="OutboxMessage.HasWaitingIndex"/>): the sender and the bot status page read their waiting rows from
    /// above it, by id, and pass over only the rows made since the sender last read.
    /// </summary>
    public long WaitingAfter(int priority)
    {
        lock (_cursors) return _waitingAfter[priority];
    }

    /// <summary>Taken before a read whose findings go to <see cref="Passed"/>: how many times rows were made to wait again so far.</summary>
    public long Rewinds
    {
        get { lock (_cursors) return _rewinds; }
    }

    /// <summary>
    /// A read begun at <paramref name="rewinds"/> found no row of <paramref name="priority"/> waiting at or below
    /// <paramref name="id"/>. Ignored when rows were made to wait again since it began: the read may not have seen them.
    /// </summary>
    public void Passed(int priority, long id, long rewinds)
    {
        lock (_cursors)
            if (rewinds == _rewinds && id > _waitingAfter[priority])
                _waitingAfter[priority] = id;
    }

    /// <summary>Rows wait again that may have any id (start, Send again): the next reads start from the beginning.</summary>
    void Rewind()
    {
        lock (_cursors)
        {
            _rewinds++;
            Array.Clear(_waitingAfter);
        }
    }

    /// <summary>Since when no call reached Telegram (network or Telegram down); clear while Telegram answers.</summary>
    public TroubleFlag Outage { get; } = new();

    /// <summary>
    /// The parts of an <see cref="Outage"/>: the outbox's calls and the poller's getUpdates. Each clears only its own, so
    /// polls Telegram answers do not end an outage every reply still meets, nor the other way round.
    /// </summary>
    public const string Sending = "sending", Polling = "polling";

    /// <summary>Waits until new rows were added or the timeout passed.</summary>
    public Task<bool> WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
