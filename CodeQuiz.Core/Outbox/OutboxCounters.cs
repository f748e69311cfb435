namespace CodeQuiz.Core.Outbox;

/// <summary>Outbox backlog and failures without a COUNT(*) per batch; read at start, then kept by writer and sender.</summary>
public sealed class OutboxCounters
{
    long _pending, _failed;
    readonly SemaphoreSlim _signal = new(0, 1);

    public int Pending => (int)Interlocked.Read(ref _pending);
    public int Failed => (int)Interlocked.Read(ref _failed);

    public void Reset(int pending, int failed)
    {
        Interlocked.Exchange(ref _pending, pending);
        Interlocked.Exchange(ref _failed, failed);
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

    public void Sent() => Interlocked.Decrement(ref _pending);

    /// <summary>The writer deleted rows that were waiting (an event started over).</summary>
    public void Dropped(int count)
    {
        if (count > 0) Interlocked.Add(ref _pending, -count);
    }

    /// <summary>Failed rows an organizer sent again are waiting once more.</summary>
    public void Requeued(int count)
    {
        if (count <= 0) return;
        Interlocked.Add(ref _failed, -count);
        Added(count);
    }

    public void FailedPermanently()
    {
        Interlocked.Decrement(ref _pending);
        Interlocked.Increment(ref _failed);
    }

    TelegramOutage? _outage;

    /// <summary>Since when no call reached Telegram (network or Telegram down); null while Telegram answers.</summary>
    public TelegramOutage? Outage => Volatile.Read(ref _outage);

    /// <summary>A call got no answer from Telegram; returns true when this starts an outage.</summary>
    public bool Unreachable(DateTimeOffset at, string error)
    {
        var current = Volatile.Read(ref _outage);
        Volatile.Write(ref _outage, new TelegramOutage(current?.Since ?? at, error));
        return current is null;
    }

    /// <summary>Telegram answered a call; returns the outage this ends, if any.</summary>
    public TelegramOutage? Reachable() => Interlocked.Exchange(ref _outage, null);

    /// <summary>Waits until new rows were added or the timeout passed.</summary>
    public Task<bool> WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>Telegram out of reach since <see cref="Since"/>; <see cref="LastError"/> says how the last call ended.</summary>
public sealed record TelegramOutage(DateTimeOffset Since, string LastError);
