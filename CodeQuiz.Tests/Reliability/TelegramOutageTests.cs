using System.Net;
using System.Text.RegularExpressions;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Tests.Components;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// Telegram goes down while participants keep answering: first 5xx, then calls that hang until they time out,
/// then a storm of 429s. The webhook keeps storing updates, the status page shows the backlog, nothing is
/// lost, no call is made while Telegram said to wait, and the backlog drains once Telegram is back.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public sealed partial class TelegramOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    const string Secret = "outage-secret_0123456789";
    const string Token = "7000000003:OUTAGEtestTOKEN_abcdefXYZ";
    const int RetryAfterSeconds = 3;
    readonly CodeQuizFactory _factory = new();
    FakeBotApi _telegram = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeBotApi.StartAsync();
        _factory.Settings["Telegram:Mode"] = "Webhook";
        _factory.Settings["Telegram:BotToken"] = Token;
        _factory.Settings["Telegram:WebhookUrl"] = "https://quiz.example.org/telegram/webhook";
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _factory.Settings["Telegram:ApiBaseUrl"] = _telegram.BaseUrl;
        _factory.Settings["Outbox:PerChatIntervalSeconds"] = "0";
        _factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        _factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        // A Bot API call that hangs is given up after 2 s here instead of the production 10 s.
        _factory.Settings["Outbox:CallTimeoutSeconds"] = "2";
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    enum Outage { None, ServerErrors, Hangs, FloodWait }

    [Fact]
    public async Task DuringAnOutageAnswersAreStillStoredTheBacklogShowsAndDrainsAfterwardsHonouringRetryAfter()
    {
        var outage = (int)Outage.None;
        var floodWaits = new List<DateTimeOffset>();
        _telegram.Intercept = async (call, context) =>
        {
            if (!FakeBotApi.IsMessage(call.Method)) return null;
            switch ((Outage)Volatile.Read(ref outage))
            {
                case Outage.ServerErrors:
                    return FakeBotApi.Error(502, "Bad Gateway");
                case Outage.Hangs:
                    try { await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted); } catch (OperationCanceledException) { }
                    context.Abort();
                    return FakeBotApi.Error(504, "Gateway Timeout");
                case Outage.FloodWait:
                    lock (floodWaits) floodWaits.Add(DateTimeOffset.UtcNow);
                    return FakeBotApi.Error(429, $"Too Many Requests: retry after {RetryAfterSeconds}", RetryAfterSeconds);
                default:
                    return null;
            }
        };
        var client = _factory.CreateClient();
        var updates = new TelegramUpdates(client, Secret);
        var console = new ConsoleClient(_factory);
        var live = _factory.Services.GetRequiredService<LiveStats>();
        var user = 20_000_000L;

        async Task AnswerAsync(int participants)
        {
            await Task.WhenAll(Enumerable.Range(0, participants).Select(_ => updates.SendAsync(Interlocked.Increment(ref user), "/start")));
        }

        // Telegram answers 502, then hangs, then floods: participants keep writing, every update is acknowledged.
        Volatile.Write(ref outage, (int)Outage.ServerErrors);
        await AnswerAsync(60);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Volatile.Write(ref outage, (int)Outage.Hangs);
        await AnswerAsync(60);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Volatile.Write(ref outage, (int)Outage.FloodWait);
        await AnswerAsync(60);
        // The sender may still be pausing after the hangs: the flood starts with its first call.
        var firstFlood = DateTime.UtcNow.AddSeconds(30);
        bool Flooded() { lock (floodWaits) return floodWaits.Count > 0; }
        while (!Flooded() && DateTime.UtcNow < firstFlood)
            await Task.Delay(100);
        await Task.Delay(TimeSpan.FromSeconds(2 * RetryAfterSeconds + 1));

        var backlogDuringOutage = live.Current.OutboxBacklog;
        Assert.Equal(HttpStatusCode.Redirect, (await console.LoginAsync()).StatusCode);
        var statusPage = await console.GetHtmlAsync("/bot");
        var pendingShown = int.Parse(PendingOnStatusPage().Match(statusPage).Groups[1].Value);

        // Telegram is back.
        Volatile.Write(ref outage, (int)Outage.None);
        await AnswerAsync(20);
        var until = DateTime.UtcNow.AddSeconds(90);
        while (live.Current.OutboxBacklog > 0 && DateTime.UtcNow < until)
            await Task.Delay(200);

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var rows = await db.OutboxMessages.ToListAsync();
        var processed = await db.ProcessedUpdates.CountAsync();
        var calls = _telegram.Calls.Where(c => FakeBotApi.IsMessage(c.Method)).OrderBy(c => c.At).ToList();
        var delivered = _telegram.Delivered.GroupBy(c => (c.ChatId ?? "", c.Text ?? "")).ToDictionary(g => g.Key, g => g.Count());
        var texts = await db.TextsAsync(rows);
        var lost = rows.Select((r, i) => (r.ChatId, texts[i] ?? "")).GroupBy(r => r).Sum(g => Math.Max(0, g.Count() - delivered.GetValueOrDefault(g.Key)));
        // While Telegram said to wait, no call at all (calls already on their way when the 429 came back arrive within moments).
        var callsDuringPauses = floodWaits.Sum(w => calls.Count(c => c.At > w.AddMilliseconds(500) && c.At < w.AddSeconds(RetryAfterSeconds - 0.2)));
        output.WriteLine($"updates stored {processed}; outbox rows {rows.Count}; backlog during outage {backlogDuringOutage} (status page {pendingShown}); " +
            $"Bot API calls {calls.Count} ({floodWaits.Count} answered 429); delivered {_telegram.Delivered.Count()}; lost {lost}; calls during pauses {callsDuringPauses}; " +
            $"failed {rows.Count(r => r.Status == OutboxStatus.Failed)}; attempts max {rows.Max(r => r.Attempts)}");

        Assert.Equal(200, processed);
        Assert.Equal(200, rows.Count);
        Assert.True(backlogDuringOutage > 0, "the backlog shows while Telegram is down");
        Assert.True(pendingShown > 0, "the status page shows the backlog");
        Assert.NotEmpty(floodWaits);
        Assert.Equal(0, callsDuringPauses);
        Assert.Equal(0, live.Current.OutboxBacklog);
        Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
        Assert.Equal(0, lost);
        Assert.Empty(_telegram.HtmlErrors);
    }

    [Fact]
    public async Task AnOutageLongerThanTheAttemptsAllowGivesUpNothingPausesTheSenderAndShowsOnTheConsole()
    {
        // Two attempts would fail a message for good within seconds, if an outage counted against the message.
        _factory.Settings["Outbox:MaxAttempts"] = "2";
        var outage = (int)Outage.ServerErrors;
        _telegram.Intercept = (call, context) =>
        {
            if (!FakeBotApi.IsMessage(call.Method)) return Task.FromResult<Microsoft.AspNetCore.Http.IResult?>(null);
            switch ((Outage)Volatile.Read(ref outage))
            {
                case Outage.ServerErrors:
                    return Task.FromResult<Microsoft.AspNetCore.Http.IResult?>(FakeBotApi.Error(502, "Bad Gateway"));
                case Outage.Hangs:
                    context.Abort(); // the connection drops: no answer at all
                    return Task.FromResult<Microsoft.AspNetCore.Http.IResult?>(FakeBotApi.Error(504, "Gateway Timeout"));
                default:
                    return Task.FromResult<Microsoft.AspNetCore.Http.IResult?>(null);
            }
        };
        var updates = new TelegramUpdates(_factory.CreateClient(), Secret);
        var counters = _factory.Services.GetRequiredService<OutboxCounters>();
        var live = _factory.Services.GetRequiredService<LiveStats>();
        var console = new ConsoleClient(_factory);
        Assert.Equal(HttpStatusCode.Redirect, (await console.LoginAsync()).StatusCode);

        var started = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => updates.SendAsync(40_000_000 + i, "/start")));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Volatile.Write(ref outage, (int)Outage.Hangs);
        await Task.Delay(TimeSpan.FromSeconds(4));

        var during = counters.Outage.Current;
        var statusPage = await console.GetHtmlAsync("/bot");
        var callsDuringOutage = _telegram.Calls.Count(c => FakeBotApi.IsMessage(c.Method));
        Volatile.Write(ref outage, (int)Outage.None);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (live.Current.OutboxBacklog > 0 && DateTime.UtcNow < until)
            await Task.Delay(100);

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var rows = await db.OutboxMessages.ToListAsync();
        output.WriteLine($"calls during the 8 s outage {callsDuringOutage} for {rows.Count} messages; outage seen {during}; " +
            $"attempts max {rows.Max(r => r.Attempts)}; failed {rows.Count(r => r.Status == OutboxStatus.Failed)}");

        Assert.NotNull(during);
        Assert.True(during.Since >= started && during.Since < started.AddSeconds(4), $"the outage began at {during.Since:O}");
        Assert.Contains("Telegram cannot be reached since", statusPage);
        // Paused, not hammering: each message tried about once per pause, not every second.
        Assert.True(callsDuringOutage < 2 * rows.Count, $"{callsDuringOutage} calls during the outage for {rows.Count} messages");
        Assert.Equal(40, rows.Count);
        Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
        Assert.All(rows, r => Assert.Equal(1, r.Attempts)); // the tries during the outage do not bring a message nearer to giving up
        Assert.Contains(rows, r => r.LastError is not null); // but each says what kept it
        Assert.Null(counters.Outage.Current);
        Assert.Equal(0, counters.Failed);
        Assert.DoesNotContain("Telegram cannot be reached", await console.GetHtmlAsync("/bot"));
    }

    [Fact]
    public async Task ACallThatHangsIsGivenUpAfterTheCallTimeoutSentAgainAndDoesNotHoldUpTheMessagesBehindIt()
    {
        // The first reply's call gets no answer at all (a dead connection): the HTTP client alone would wait 60 s.
        var hung = 0;
        _telegram.Intercept = async (call, context) =>
        {
            if (call.Method != "sendMessage" || Interlocked.Exchange(ref hung, 1) == 1) return null;
            try { await Task.Delay(TimeSpan.FromMinutes(2), context.RequestAborted); } catch (OperationCanceledException) { }
            return FakeBotApi.Error(504, "Gateway Timeout");
        };
        var updates = new TelegramUpdates(_factory.CreateClient(), Secret);
        var live = _factory.Services.GetRequiredService<LiveStats>();

        var started = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await updates.SendAsync(30_000_001, "/start")).StatusCode);
        var until = DateTime.UtcNow.AddSeconds(5);
        while (Volatile.Read(ref hung) == 0 && DateTime.UtcNow < until)
            await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref hung));
        // A second participant writes while the first reply's call hangs: that reply goes out in a later round.
        Assert.Equal(HttpStatusCode.OK, (await updates.SendAsync(30_000_002, "/start")).StatusCode);

        until = DateTime.UtcNow.AddSeconds(20);
        while (live.Current.OutboxBacklog > 0 && DateTime.UtcNow < until)
            await Task.Delay(100);
        var elapsed = DateTimeOffset.UtcNow - started;

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var rows = await db.OutboxMessages.OrderBy(m => m.Id).ToListAsync();
        var delivered = _telegram.Delivered.Where(c => c.Method == "sendMessage").ToList();
        output.WriteLine($"drained in {elapsed.TotalSeconds:F1} s; rows: {string.Join("; ", rows.Select(r => $"{r.ChatId} {r.Status} attempts {r.Attempts} ({r.LastError})"))}");

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
        Assert.Equal(["30000001", "30000002"], delivered.Select(c => c.ChatId ?? "").Order().ToArray());
        var first = rows.Single(r => r.ChatId == "30000001");
        Assert.Equal(1, first.Attempts); // the call given up on counts as Telegram out of reach, not as a failure of the message
        Assert.Equal("Telegram did not answer within 2 s", first.LastError);
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"the backlog took {elapsed.TotalSeconds:F1} s to drain");
    }

    [Fact]
    public async Task WhileTelegramHasNotAnsweredGetMeChannelPostsLinkToTheConfiguredBotName()
    {
        // Telegram cannot be reached when the show starts: getMe keeps failing, so the name comes from the setting.
        _telegram.Intercept = (call, _) => Task.FromResult(call.Method == "getMe" ? FakeBotApi.Error(502, "Bad Gateway") : null);
        _factory.Settings["Telegram:BotUsername"] = "@ConfiguredQuizBot";
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("QNAMEaaaaa", "go"));

        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var announcement = await db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelAnnouncement);
        Assert.Null(_factory.Services.GetRequiredService<BotIdentity>().FromTelegram);
        Assert.Contains("https://t.me/ConfiguredQuizBot?start=QNAMEaaaaa", announcement.Text);
    }

    [GeneratedRegex("data-testid=\"outbox-pending\"[^>]*>\\s*(\\d+)")]
    private static partial Regex PendingOnStatusPage();
}
