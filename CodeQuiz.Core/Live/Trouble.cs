namespace CodeQuiz.Core.Live;

/// <summary>Something failing since <see cref="Since"/>; <see cref="LastError"/> says how it failed last.</summary>
public sealed record Trouble(DateTimeOffset Since, string LastError);

/// <summary>
/// A trouble the console shows while it lasts: raised on each failure, cleared by the first success. Parts that fail
/// on their own (Telegram may answer getUpdates while it fails every sendMessage) each clear only their own failure: the
/// trouble lasts, with its first "since", until none of them fails.
/// </summary>
public sealed class TroubleFlag
{
    readonly Lock _lock = new();
    readonly HashSet<string> _failing = [];
    Trouble? _current;

    public Trouble? Current => Volatile.Read(ref _current);

    /// <summary>Records a failure of <paramref name="part"/>; returns true when it starts the trouble.</summary>
    /// <remarks>Raised from several threads at once (the outbox, the poller), so exactly one failure starts it, and a
    /// failure racing a success never brings back the "since" of the trouble that success ended.</remarks>
    public bool Raise(DateTimeOffset at, string error, string part = "")
    {
        lock (_lock)
        {
            var current = _current;
            _failing.Add(part);
            Volatile.Write(ref _current, new Trouble(current?.Since ?? at, error));
            return current is null;
        }
    }

    /// <summary>Records a success of <paramref name="part"/>; returns the trouble this ends, if there was one.</summary>
    public Trouble? Clear(string part = "")
    {
        if (Volatile.Read(ref _current) is null) return null;
        lock (_lock)
        {
            if (!_failing.Remove(part) || _failing.Count > 0) return null;
            var ended = _current;
            Volatile.Write(ref _current, null);
            return ended;
        }
    }
}
