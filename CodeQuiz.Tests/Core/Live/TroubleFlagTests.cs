using CodeQuiz.Core.Live;

namespace CodeQuiz.Tests.Core.Live;

public class TroubleFlagTests
{
    static readonly DateTimeOffset Noon = new(2026, 10, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ATroubleKeepsTheTimeOfItsFirstFailureAndTheTextOfItsLast()
    {
        var flag = new TroubleFlag();
        Assert.True(flag.Raise(Noon, "timed out"));
        Assert.False(flag.Raise(Noon.AddSeconds(5), "502 Bad Gateway"));
        Assert.Equal(new Trouble(Noon, "502 Bad Gateway"), flag.Current);

        Assert.Equal(new Trouble(Noon, "502 Bad Gateway"), flag.Clear());
        Assert.Null(flag.Current);
        Assert.Null(flag.Clear());
        Assert.True(flag.Raise(Noon.AddMinutes(1), "timed out"));
        Assert.Equal(Noon.AddMinutes(1), flag.Current!.Since);
    }

    [Fact]
    public void ASuccessEndsOnlyTheFailureOfItsOwnPart()
    {
        // Telegram fails every reply, then getUpdates too; polls answered again do not end what replies still meet.
        var flag = new TroubleFlag();
        Assert.True(flag.Raise(Noon, "502 Bad Gateway", "sending"));
        Assert.False(flag.Raise(Noon.AddSeconds(3), "timed out", "polling"));
        Assert.Null(flag.Clear("polling"));
        Assert.Null(flag.Clear("polling"));
        Assert.Equal(new Trouble(Noon, "timed out"), flag.Current);

        Assert.Equal(new Trouble(Noon, "timed out"), flag.Clear("sending"));
        Assert.Null(flag.Current);
    }

    [Fact]
    public void OfTwoFailuresAtTheSameMomentOnlyOneStartsTheTrouble()
    {
        // The outbox and the poller fail at once when Telegram goes away: the console logs and shows one start.
        var flag = new TroubleFlag();
        const int rounds = 20_000;
        var starts = new int[rounds];
        using var together = new Barrier(2);
        void Fail(string error)
        {
            for (var round = 0; round < rounds; round++)
            {
                together.SignalAndWait();
                if (flag.Raise(Noon, error)) Interlocked.Increment(ref starts[round]);
                together.SignalAndWait();
                if (error == "first") flag.Clear(); // the next round starts from no trouble
                together.SignalAndWait();
            }
        }
        var other = new Thread(() => Fail("second"));
        other.Start();
        Fail("first");
        other.Join();

        Assert.Equal(0, starts.Count(s => s != 1));
    }
}
