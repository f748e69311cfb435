using CodeQuiz.Core.Bot;

namespace CodeQuiz.Tests.Core.Bot;

public class ArrivalLagTests
{
    static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NothingIsKnownBeforeTheFirstDatedMessage() => Assert.Null(new ArrivalLag().Least(Start));

    [Fact]
    public void TheLeastLagOfTheLastTenMinutesIsKept()
    {
        var lag = new ArrivalLag();
        lag.Add(TimeSpan.FromSeconds(3), Start);
        lag.Add(TimeSpan.FromSeconds(-1), Start.AddMinutes(2)); // a clock behind Telegram's
        lag.Add(TimeSpan.FromSeconds(40), Start.AddMinutes(5)); // a backlog

        Assert.Equal(TimeSpan.FromSeconds(-1), lag.Least(Start.AddMinutes(5)));
        Assert.Equal(TimeSpan.FromSeconds(-1), lag.Least(Start.AddMinutes(11)));
        // Ten minutes on, the clocks may have been set since: only what arrived since counts.
        Assert.Equal(TimeSpan.FromSeconds(40), lag.Least(Start.AddMinutes(12)));
        Assert.Null(lag.Least(Start.AddMinutes(15)));
    }

    [Fact]
    public void AMinuteSlotUsedAgainTenMinutesLaterStartsAfresh()
    {
        var lag = new ArrivalLag();
        lag.Add(TimeSpan.FromSeconds(1), Start);
        lag.Add(TimeSpan.FromSeconds(7), Start.AddMinutes(10));

        Assert.Equal(TimeSpan.FromSeconds(7), lag.Least(Start.AddMinutes(10)));
    }
}
