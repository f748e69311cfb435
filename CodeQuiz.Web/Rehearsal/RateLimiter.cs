namespace CodeQuiz.Web.Rehearsal;

/// <summary>Telegram's flood control: an overall bucket and one per chat; a send takes a token from both or gets retry_after.</summary>
sealed class RateLimiter(TimeProvider time, RehearsalRateLimits limits)
{
    readonly Bucket _overall = new(limits.Burst, limits.MessagesPerSecond);
    readonly Dictionary<long, Bucket> _chats = [];

    /// <summary>Null when the message may go now, else the seconds to wait. Callers hold the simulator's lock.</summary>
    public int? TryAcquire(long chatId, bool isChannel)
    {
        if (!limits.Enabled) return null;
        var now = time.GetTimestamp() / (double)time.TimestampFrequency;
        if (!_chats.TryGetValue(chatId, out var chat))
            _chats[chatId] = chat = isChannel
                ? new Bucket(limits.ChannelBurst, limits.ChannelMessagesPerMinute / 60)
                : new Bucket(limits.PerChatBurst, limits.PerChatPerSecond);
        var wait = Math.Max(_overall.WaitSeconds(now), chat.WaitSeconds(now));
        if (wait > 0)
            return Math.Max(1, (int)Math.Ceiling(wait));
        _overall.Take();
        chat.Take();
        return null;
    }

    sealed class Bucket(int capacity, double perSecond)
    {
        double _tokens = capacity;
        double _at = double.NaN;

        public double WaitSeconds(double now)
        {
            if (double.IsNaN(_at)) _at = now;
            _tokens = Math.Min(capacity, _tokens + (now - _at) * perSecond);
            _at = now;
            return _tokens >= 1 ? 0 : (1 - _tokens) / perSecond;
        }

        public void Take() => _tokens -= 1;
    }
}
