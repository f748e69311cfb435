namespace CodeQuiz.Core.Bot;

/// <summary>
/// The least time messages took from their Telegram date to their arrival here, over the last ten minutes. A message
/// is dated on Telegram's clock and received on ours, and travel takes no negative time, so this never reads below the
/// difference between the two clocks, whatever it is. Older lags are let go, in case our clock is set forward meanwhile.
/// Used by one thread at a time (the batch writer's).
/// </summary>
public sealed class ArrivalLag
{
    const int Minutes = 10;
    readonly long[] _minute = new long[Minutes];
    readonly TimeSpan[] _least = new TimeSpan[Minutes];

    public void Add(TimeSpan lag, DateTimeOffset receivedAt)
    {
        var minute = receivedAt.ToUnixTimeSeconds() / 60;
        var slot = (int)(minute % Minutes);
        if (_minute[slot] != minute)
            (_minute[slot], _least[slot]) = (minute, lag);
        else if (lag < _least[slot])
            _least[slot] = lag;
    }

    /// <summary>Null until a message with a date has arrived in the last ten minutes.</summary>
    public TimeSpan? Least(DateTimeOffset now)
    {
        var current = now.ToUnixTimeSeconds() / 60;
        TimeSpan? least = null;
        for (var i = 0; i < Minutes; i++)
            if (_minute[i] > current - Minutes && _minute[i] <= current && (least is null || _least[i] < least))
                least = _least[i];
        return least;
    }
}
