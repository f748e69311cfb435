using CodeQuiz.Web.Rehearsal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Tests.Web.Rehearsal;

/// <summary>The rehearsal page and the chats hear of the simulated Telegram's changes without slowing it down.</summary>
public class SimulatorPagesTests
{
    [Fact]
    public async Task APageSlowToRenderHoldsBackNeitherTheSimulatedTelegramNorTheOtherPages()
    {
        var simulator = new TelegramSimulator(Options.Create(new RehearsalOptions { CrowdSize = 0, CrowdAutoStart = false }),
            TimeProvider.System, NullLogger<TelegramSimulator>.Instance);
        using var rendering = new ManualResetEventSlim();
        var otherPage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A page whose render runs inline on an idle circuit, and takes its time.
        using var slow = simulator.Subscribe(() => { rendering.Wait(); return Task.CompletedTask; });
        using var other = simulator.Subscribe(() => { otherPage.TrySetResult(); return Task.CompletedTask; });
        try
        {
            var sent = Task.Run(() => simulator.SendText(new SimUser(4242, "Ada"), "/start"));
            await sent.WaitAsync(TimeSpan.FromSeconds(5));
            await otherPage.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            rendering.Set();
        }
    }
}
