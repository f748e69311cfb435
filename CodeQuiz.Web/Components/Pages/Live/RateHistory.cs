namespace CodeQuiz.Web.Components.Pages.Live;

/// <summary>
/// Answers per second over the last minute, one sample per second, worked out from the growth of
/// the answer count between ticks (so the chart falls to zero when answers stop, even with no new snapshot).
/// </summary>
public sealed class RateHistory(int capacity = 60)
{
    readonly Queue<double> _samples = new(capacity);
    int? _lastCount;
    DateTimeOffset _lastAt;

    public IReadOnlyCollection<double> Samples => _samples;

    public int Capacity => capacity;

    public double Latest { get; private set; }

    /// <summary>The question closed: nothing arrives any more, whatever the last tick measured.</summary>
    public bool Finished { get; private set; }

    /// <summary>Ends the chart on zero, once; a question started over gets a new history.</summary>
    public void Finish()
    {
        if (Finished)
            return;
        Finished = true;
        if (_samples.Count == capacity)
            _samples.Dequeue();
        _samples.Enqueue(0);
        Latest = 0;
    }

    /// <summary>
    /// The question was reopened: the chart goes on from <paramref name="answerCount"/> at <paramref name="at"/>, so the
    /// answers taken while it was closed do not read as a burst, and no "closed" stays on a question taking answers.
    /// </summary>
    public void Resume(int answerCount, DateTimeOffset at)
    {
        if (!Finished)
            return;
        Finished = false;
        _lastCount = answerCount;
        _lastAt = at;
    }

    public void Sample(int answerCount, DateTimeOffset at)
    {
        if (Finished)
            return;
        if (_lastCount is int last && at > _lastAt)
        {
            var rate = Math.Max(0, answerCount - last) / (at - _lastAt).TotalSeconds;
            if (_samples.Count == capacity)
                _samples.Dequeue();
            _samples.Enqueue(rate);
            Latest = rate;
        }
        _lastCount = answerCount;
        _lastAt = at;
    }
}
