using System.Diagnostics;
using CodeQuiz.Core.Quizzes;
using Xunit.Abstractions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The real server, killed with SIGKILL under webhook load at three moments (while batches commit, while the
/// outbox is sending, while a question closes), or under polling load as getUpdates confirms pages and while a page is
/// stored, or stopped with SIGTERM, then started again.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class CrashTests(ITestOutputHelper output)
{
    const int Participants = 500, Concurrency = 48;
    static readonly string ResultsTitle = CodeQuiz.Core.Bot.BotTexts.For("en").ResultsTitle(2);
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KilledThreeTimesUnderLoadTheServerLosesNoAcknowledgedUpdateAndNoOutgoingMessage()
    {
        await using var rig = await LoadRig.CreateAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var total = Participants * 4;
        var integrity = new List<string>();

        await rig.StartServerAsync();
        var load = rig.RunLoadAsync(Participants, Concurrency, stop.Token);

        // 1. While the batch writer commits (it commits every few milliseconds under this load).
        await rig.WaitUntilAcknowledgedAsync(total / 5, Patience);
        await rig.KillAsync();
        integrity.Add(await rig.IntegrityCheckAsync());

        // 2. While the outbox sends: Telegram has the message, the server dies before it hears back.
        var killedInSend = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sendsSeen = 0;
        rig.Telegram.Intercept = async (call, _) =>
        {
            if (call.Method == "sendMessage" && Interlocked.Increment(ref sendsSeen) == 50 && rig.Server is { } s)
            {
                await rig.Ready.WaitAsync(Patience);
                s.Kill();
                killedInSend.TrySetResult();
                await Task.Delay(100);
            }
            return null;
        };
        await rig.StartServerAsync();
        await killedInSend.Task.WaitAsync(Patience);
        await rig.KillAsync();
        rig.Telegram.Intercept = null;
        integrity.Add(await rig.IntegrityCheckAsync());

        // 3. While a question closes: its time limit ran out while the server was down, so the first batch closes it;
        //    the server dies as its results post reaches Telegram.
        await rig.ExpireQuestion2Async();
        var killedInClose = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Telegram.Intercept = async (call, _) =>
        {
            if (call.ChatId == LoadRig.Channel && call.Text?.Contains(ResultsTitle) == true && rig.Server is { } s)
            {
                await rig.Ready.WaitAsync(Patience);
                s.Kill();
                killedInClose.TrySetResult();
                await Task.Delay(100);
            }
            return null;
        };
        await rig.StartServerAsync();
        await killedInClose.Task.WaitAsync(Patience);
        await rig.KillAsync();
        rig.Telegram.Intercept = null;
        integrity.Add(await rig.IntegrityCheckAsync());

        // Last start: the load finishes, the outbox drains, then a clean stop.
        var server = await rig.StartServerAsync();
        await load.WaitAsync(Patience);
        await rig.WaitForOutboxDrainedAsync(Patience);
        server.Terminate();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        integrity.Add(await rig.IntegrityCheckAsync());

        var report = await rig.ReportAsync();
        output.WriteLine($"{report} Kills={rig.Kills} Starts={rig.Starts} Integrity=[{string.Join(",", integrity)}]");
        Assert.Empty(rig.UnexpectedResponses);
        Assert.All(integrity, r => Assert.Equal("ok", r));
        Assert.Equal(3, rig.Kills);
        Assert.Equal(total, report.UpdatesSent);
        Assert.Equal(total, report.Acknowledged);
        Assert.Equal(0, report.AcknowledgedButNotStored);
        Assert.Equal(0, report.StoredButNeverSent);
        Assert.Equal(report.AnswersStored, report.AnswersMatchingTheirUpdate);
        Assert.True(report.AnswersStored >= Participants, $"every participant's first answer is stored ({report.AnswersStored})");
        Assert.Equal(QuestionState.Closed, report.Question2State);
        Assert.Equal(1, report.ChannelResultsRows);
        Assert.Equal(0, report.OutboxPending);
        Assert.Equal(0, report.OutboxFailed);
        Assert.Equal(0, report.MessagesLost);
        Assert.Equal(0, report.HtmlRefused);
    }

    [Fact]
    public async Task KilledUnderPollingLoadTheServerLosesNoUpdateItConfirmedToTelegram()
    {
        const int participants = 700; // 4 updates each and a button press every fifth: 2,940 updates, 30 pages of 100
        await using var rig = await LoadRig.CreateAsync(polling: true);
        var last = rig.QueuePollingLoad(participants);
        var ids = rig.Updates.Keys.Order().ToList();
        var integrity = new List<string>();
        var afterKills = new List<(int Confirmed, int Stored, int ConfirmedButNotStored)>();

        // Killed as the offset it asks for passes 1/5, 2/5, 3/5 and 4/5 of the queue: either the moment getUpdates
        // confirms the pages before (each must be committed by then), or 1 or 3 ms after the next page was handed out,
        // while the batch writer stores it. Each start polls from the first update Telegram still holds; the updates flow
        // only once the server is ready, so every kill falls in the flow (a server killed while starting fails the start).
        int[] delays = [0, 1, 0, 3];
        for (var k = 0; k < delays.Length; k++)
        {
            var killed = KillWhenConfirmedPast(rig, ids[ids.Count * (k + 1) / (delays.Length + 1)], delays[k]);
            rig.Telegram.HoldUpdates = true;
            await rig.StartServerAsync();
            rig.Telegram.HoldUpdates = false;
            await killed.WaitAsync(Patience);
            await rig.KillAsync();
            rig.Telegram.Intercept = null;
            integrity.Add(await rig.IntegrityCheckAsync());
            afterKills.Add(await rig.ConfirmedAndStoredAsync());
        }

        // Last start: the rest of the queue is taken, the outbox drains, then a clean stop.
        var server = await rig.StartServerAsync();
        await rig.WaitUntilConfirmedAsync(last, Patience);
        await rig.WaitForOutboxDrainedAsync(Patience);
        server.Terminate();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        integrity.Add(await rig.IntegrityCheckAsync());

        var report = await rig.ReportAsync();
        output.WriteLine($"{report} Kills={rig.Kills} Starts={rig.Starts} LastOffset={rig.Telegram.HighestOffset} " +
            $"AfterEachKill(confirmed, stored, confirmed but not stored)=[{string.Join(",", afterKills)}] Integrity=[{string.Join(",", integrity)}]");
        Assert.All(integrity, r => Assert.Equal("ok", r));
        Assert.All(afterKills, k => Assert.Equal(0, k.ConfirmedButNotStored));
        Assert.Equal(delays.Length, rig.Kills);
        Assert.Equal(delays.Length + 1, rig.Starts);
        Assert.True(rig.Telegram.HighestOffset > last, "every update was taken");
        Assert.Equal(0, rig.Telegram.Waiting);
        Assert.Equal(ids.Count, report.UpdatesSent);
        Assert.Equal(ids.Count, report.Acknowledged);
        Assert.Equal(0, report.AcknowledgedButNotStored);
        Assert.Equal(0, report.StoredButNeverSent);
        Assert.Equal(0, report.UpdatesStoredTwice);
        Assert.Equal(0, report.AnswersStoredTwice);
        Assert.Equal(2 * participants, report.AnswersStored);
        Assert.Equal(report.AnswersStored, report.AnswersMatchingTheirUpdate);
        Assert.Equal(0, report.OutboxPending);
        Assert.Equal(0, report.OutboxFailed);
        Assert.Equal(0, report.MessagesLost);
        Assert.Equal(0, report.ToastsLost);
        Assert.Equal(0, report.HtmlRefused);
        Assert.Equal([LoadRig.BotToken], rig.Telegram.Tokens.Keys);
    }

    /// <summary>
    /// Kills the server when getUpdates first asks for an offset past <paramref name="updateId"/>: at once, before the
    /// call is answered, or <paramref name="afterMs"/> ms after its page was handed out.
    /// </summary>
    static Task KillWhenConfirmedPast(LoadRig rig, long updateId, int afterMs)
    {
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = 1;
        rig.Telegram.Intercept = async (call, context) =>
        {
            if (call.Method != "getUpdates" || rig.Telegram.HighestOffset <= updateId || rig.Server is not { } s || Interlocked.Exchange(ref armed, 0) == 0)
                return null;
            await rig.Ready.WaitAsync(Patience);
            if (afterMs == 0)
            {
                s.Kill();
                killed.TrySetResult();
                await Task.Delay(100);
                return null;
            }
            _ = Task.Run(async () =>
            {
                await Task.Delay(afterMs);
                s.Kill();
                killed.TrySetResult();
            });
            return null;
        };
        return killed.Task;
    }

    [Fact]
    public async Task OnSigtermTheServerStopsTakingWorkFinishesWhatIsInFlightAndExitsWithinSeconds()
    {
        await using var rig = await LoadRig.CreateAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        const int participants = 200;

        var server = await rig.StartServerAsync();
        var load = rig.RunLoadAsync(participants, Concurrency, stop.Token);
        await rig.WaitUntilAcknowledgedAsync(participants, Patience);

        var clock = Stopwatch.StartNew();
        server.Terminate();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        clock.Stop();
        var acknowledgedAtExit = rig.Acknowledged.Count;
        Assert.Equal("ok", await rig.IntegrityCheckAsync());

        await rig.StartServerAsync();
        await load.WaitAsync(Patience);
        await rig.WaitForOutboxDrainedAsync(Patience);
        var report = await rig.ReportAsync();
        output.WriteLine($"exit after SIGTERM: {clock.ElapsedMilliseconds} ms, exit code {server.ExitCode}, acknowledged before exit {acknowledgedAtExit}; {report}");

        Assert.Equal(0, server.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopped in {clock.Elapsed}");
        Assert.Empty(rig.UnexpectedResponses);
        Assert.Equal(participants * 4, report.Acknowledged);
        Assert.Equal(0, report.AcknowledgedButNotStored);
        Assert.Equal(0, report.OutboxPending);
        Assert.Equal(0, report.OutboxFailed);
        Assert.Equal(0, report.MessagesLost);
        Assert.Equal(0, report.DuplicateSends); // a clean stop sends nothing twice
    }
}
