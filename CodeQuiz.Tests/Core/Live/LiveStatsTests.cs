using CodeQuiz.Core.Live;
using Microsoft.Extensions.Time.Testing;

namespace CodeQuiz.Tests.Core.Live;

public class LiveStatsTests
{
    static LiveSnapshot Snapshot(int answers) =>
        new(DateTimeOffset.UnixEpoch, [new LiveQuestion(1, 1, answers, answers, answers, 0, 0, 0)], [], 0, 0);

    [Fact]
    public async Task AThousandPublishesInQuickSuccessionNotifyAtMostTwiceUntilTimePasses()
    {
        var time = new FakeTimeProvider();
        var live = new LiveStats(time);
        var calls = 0;
        using var _ = live.Subscribe(() => { Interlocked.Increment(ref calls); return Task.CompletedTask; });

        for (var i = 1; i <= 1000; i++)
            live.Publish(Snapshot(i));
        await Task.Delay(100);

        Assert.InRange(calls, 1, 2);
        Assert.Equal(1000, live.Current.For(1)!.Answers);

        time.Advance(TimeSpan.FromMilliseconds(250));
        // The interval's end resumes the notifying loop on the thread pool, which a busy machine may take a while to run.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref calls) < 2 && DateTime.UtcNow < until)
            await Task.Delay(20);
        await Task.Delay(100); // time for a call too many
        Assert.Equal(2, calls); // the newest change is delivered once the interval passed
    }

    [Fact]
    public async Task ADisposedSubscriptionIsNotCalledAgain()
    {
        var live = new LiveStats(new FakeTimeProvider());
        var calls = 0;
        var subscription = live.Subscribe(() => { calls++; return Task.CompletedTask; });
        subscription.Dispose();

        live.Publish(Snapshot(1));
        await Task.Delay(50);

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task AFailingSubscriberDoesNotStopTheOthers()
    {
        var live = new LiveStats(new FakeTimeProvider());
        var called = new TaskCompletionSource();
        using var bad = live.Subscribe(() => throw new InvalidOperationException("circuit gone"));
        using var good = live.Subscribe(() => { called.TrySetResult(); return Task.CompletedTask; });

        live.Publish(Snapshot(1));

        await called.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
    [Fact]
    public async Task ThePublisherNeverRunsASubscribersWorkNorWaitsForIt()
    {
        // The batch writer publishes after its commit and before it answers Telegram: a console page rendering (or
        // reading the database) on its thread would hold every acknowledgement of the batch.
        var live = new LiveStats(new FakeTimeProvider());
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = live.Subscribe(() => { entered.TrySetResult(); release.Wait(TimeSpan.FromSeconds(30)); return Task.CompletedTask; });

        var publishing = Task.Factory.StartNew(() => live.Publish(Snapshot(1)), TaskCreationOptions.LongRunning);
        try
        {
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await publishing.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task ASubscriberThatHangsDoesNotHoldBackTheOthers()
    {
        // A console tab whose circuit hangs (its database reading stuck, say) must not stop the projector's feed.
        var live = new LiveStats(new FakeTimeProvider());
        var hung = new TaskCompletionSource();
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stuck = live.Subscribe(() => hung.Task);
        using var other = live.Subscribe(() => { called.TrySetResult(); return Task.CompletedTask; });

        live.Publish(Snapshot(1));

        try
        {
            await called.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            hung.TrySetResult();
        }
    }
}
