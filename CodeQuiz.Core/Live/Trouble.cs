namespace CodeQuiz.Core.Live;

/// <summary>Something failing since <see cref="Since"/>; <see cref="LastError"/> says how it failed last.</summary>
public sealed record Trouble(DateTimeOffset Since, string LastError);

/// <summary>A trouble the console shows while it lasts: raised on each failure, cleared by the first success.</summary>
public sealed class TroubleFlag
{
    Trouble? _current;

    public Trouble? Current => Volatile.Read(ref _current);

    /// <summary>Records a failure; returns true when it starts the trouble.</summary>
    /// <remarks>Raised from several threads at once (the outbox, the poller), so exactly one failure starts it, and a
    /// failure racing a success never brings back the "since" of the trouble that success ended.</remarks>
    public bool Raise(DateTimeOffset at, string error)
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (Interlocked.CompareExchange(ref _current, new Trouble(current?.Since ?? at, error), current) == current)
                return current is null;
        }
    }

    /// <summary>Records a success; returns the trouble this ends, if there was one.</summary>
    public Trouble? Clear() => Volatile.Read(ref _current) is null ? null : Interlocked.Exchange(ref _current, null);
}
