using CodeQuiz.Core.Ingest;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace CodeQuiz.Tests.Core.Outbox;

/// <summary>Rounds of the outbox sender against a SQLite file and a Bot API that answers in-process.</summary>
public sealed class OutboxSenderTests : IDisposable
{
    readonly string _file = Path.Combine(Path.GetTempPath(), $"codequiz-outbox-{Guid.NewGuid():N}.db");
    readonly DbContextOptions<SqliteQuizDbContext> _options;
    readonly DateTimeOffset _past = DateTimeOffset.UtcNow.AddSeconds(-5);

    public OutboxSenderTests()
    {
        _options = new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite($"Data Source={_file};Pooling=False").Options;
        using var db = new SqliteQuizDbContext(_options);
        db.Database.Migrate();
    }

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task SomeoneWithManyMessagesWaitingDoesNotHoldBackEveryoneElse()
    {
        // Forty replies to one participant who kept writing, older than one reply each to twenty others.
        await AddAsync([.. Enumerable.Range(0, 40).Select(i => Reply("111", $"spam {i}")), .. Enumerable.Range(0, 20).Select(i => Reply($"{200 + i}"))]);
        var api = new BotApi();

        await Sender(api).RunRoundAsync(CancellationToken.None);

        Assert.Equal(20, api.Calls.Count(c => c.Chat != "111"));
        Assert.Equal(["spam 0"], api.Calls.Where(c => c.Chat == "111").Select(c => c.Text));
        await using var db = Db();
        Assert.Equal(39, await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending));
    }

    [Fact]
    public async Task AScriptFloodingTheBotWithThousandsOfMessagesDoesNotHoldBackEveryoneElse()
    {
        // A participant's script sent the bot thousands of messages (guessing question codes, say); each got a reply, all
        // older than the replies to twenty others. The script's chat gets one message a second; the others must not wait.
        await AddAsync([.. Enumerable.Range(0, 3500).Select(i => Reply("111", $"guess {i}")), .. Enumerable.Range(0, 20).Select(i => Reply($"{200 + i}"))]);
        var api = new BotApi();

        await Sender(api).RunRoundAsync(CancellationToken.None);

        Assert.Equal(20, api.Calls.Count(c => c.Chat != "111"));
        Assert.Equal(["guess 0"], api.Calls.Where(c => c.Chat == "111").Select(c => c.Text));
    }

    [Fact]
    public async Task AReplyInItsPauseAfterAFailedCallGoesWhenThePauseEndsThoughRoundsSentTheRepliesAfterIt()
    {
        // The first reply met an error and waits five minutes before its next try; the replies after it, and later ones, go meanwhile.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var paused = Reply("700", "paused");
        (paused.Attempts, paused.NotBefore) = (1, clock.GetUtcNow().AddMinutes(5));
        await AddAsync([paused, .. Enumerable.Range(0, 5).Select(i => Reply($"{710 + i}", $"after {i}"))]);
        var api = new BotApi();
        var counters = new OutboxCounters();
        counters.Reset(pending: 6, failed: 0);
        var sender = Sender(api, clock, counters: counters);

        await RoundAsync(sender, clock);
        await AddAsync([Reply("720", "later")]);
        counters.Added(1);
        await RoundAsync(sender, clock);
        await RoundAsync(sender, clock); // nothing due
        Assert.DoesNotContain("paused", api.Calls.Select(c => c.Text));
        Assert.Equal(6, api.Calls.Count);

        clock.Advance(TimeSpan.FromMinutes(5));
        await RoundAsync(sender, clock);

        Assert.Equal("paused", api.Calls.Last().Text);
        Assert.Equal(0, counters.Pending);
    }

    /// <summary>A round on a fake clock, moved on while the round waits between calls for the overall rate.</summary>
    static async Task RoundAsync(OutboxSender sender, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock)
    {
        var round = sender.RunRoundAsync(CancellationToken.None);
        while (!round.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(1);
        }
        await round;
    }

    [Fact]
    public async Task RepliesSentAgainGoOutThoughTheSenderHadReadPastThem()
    {
        // Telegram refused a reply while the Bot API address was wrong; many replies went out since.
        var refused = Reply("800", "refused");
        (refused.Status, refused.Attempts, refused.LastError) = (OutboxStatus.Failed, 1, "404: Not Found");
        await AddAsync([refused, .. Enumerable.Range(0, 5).Select(i => Reply($"{810 + i}", $"after {i}"))]);
        var api = new BotApi();
        var counters = new OutboxCounters();
        counters.Reset(pending: 5, failed: 1);
        var sender = Sender(api, counters: counters);
        await sender.RunRoundAsync(CancellationToken.None);
        await sender.RunRoundAsync(CancellationToken.None); // nothing waits
        Assert.Equal(5, api.Calls.Count);

        await using (var db = Db())
            Assert.Equal(1, await OutboxRequeue.RepliesAgainAsync(db, counters, DateTimeOffset.UtcNow, CancellationToken.None));
        await sender.RunRoundAsync(CancellationToken.None);

        Assert.Equal(("800", "refused"), (api.Calls.Last().Chat, api.Calls.Last().Text));
        Assert.Equal((0, 0, 6), (counters.Pending, counters.Failed, counters.SentCount));
    }

    [Fact]
    public async Task ARoundTakesPostsAndToastsThenPromptsThenOtherRepliesAndNewsThatCanWaitLast()
    {
        OutboxMessage At(int priority, string chat, string text)
        {
            var message = Reply(chat, text);
            message.Priority = priority;
            return message;
        }
        // Older rows of lower priorities first; a round of eight has room for the post, the toast, the prompt and five
        // acknowledgements.
        await AddAsync([
            At(OutboxMessage.LowPriority, "901", "news"), .. Enumerable.Range(0, 8).Select(i => At(OutboxMessage.NormalPriority, $"{910 + i}", $"ack {i}")),
            At(OutboxMessage.PromptPriority, "920", "prompt"), ChannelPost("post"), ButtonAnswer("q1"),
        ]);
        var api = new BotApi();

        await Sender(api, messagesPerSecond: 8).RunRoundAsync(CancellationToken.None);

        Assert.Equal(["Recorded", "ack 0", "ack 1", "ack 2", "ack 3", "ack 4", "post", "prompt"], api.Calls.Select(c => c.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AMessageDeletedWhileItsRoundRanDoesNotLeaveTheRestOfTheRoundToBeSentAgain()
    {
        var post = new OutboxMessage
        {
            Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.ChannelResults, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = "results", QuestionId = 5, CreatedAt = _past, NotBefore = _past,
        };
        await AddAsync([post, .. Enumerable.Range(0, 10).Select(i => Reply($"{300 + i}"))]);
        var api = new BotApi
        {
            // An organizer starts the event over while the results post is on its way: its pending row is deleted.
            OnCall = async chat =>
            {
                if (chat != "@codeweek") return;
                await using var other = Db();
                await other.OutboxMessages.Where(m => m.QuestionId == 5 && m.Status == OutboxStatus.Pending).ExecuteDeleteAsync();
            },
        };

        var counters = new OutboxCounters();
        counters.Reset(pending: 11, failed: 0);
        await Sender(api, counters: counters).RunRoundAsync(CancellationToken.None);

        Assert.Equal(11, api.Calls.Count);
        await using var db = Db();
        Assert.Equal(10, await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Sent));
        Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending));
        counters.Dropped(pending: 1); // as the writer counts the row it deleted
        Assert.Equal((0, 10), (counters.Pending, counters.SentCount));
    }

    [Fact]
    public async Task AStopDuringASlowCallWaitsForTelegramsAnswerAndDoesNotSendTheMessageAgain()
    {
        // Telegram takes 7 s to answer: slow, but within the call's 10 s. The app is stopped (a restart) a moment in.
        await AddAsync([Reply("601")]);
        var api = new BotApi { Slow = _ => TimeSpan.FromSeconds(7) };
        using var stop = new CancellationTokenSource();
        var round = Sender(api, callTimeoutSeconds: 10).RunRoundAsync(stop.Token);
        while (api.Calls.IsEmpty) await Task.Delay(20);
        await Task.Delay(300);
        stop.Cancel();

        try { await round; }
        catch (OperationCanceledException) { } // the round ends as the app stops

        // Telegram took it and said so before the app went: recorded as sent, so the next start does not send it again.
        await using var db = Db();
        Assert.Equal(OutboxStatus.Sent, (await db.OutboxMessages.SingleAsync()).Status);
        Assert.Single(api.Calls);
    }

    [Fact]
    public async Task TheSenderStartsOnceTheWriterHasReadTheCountsItGoesOnFrom()
    {
        await AddAsync([Reply("501")]);
        var api = new BotApi();
        var counters = new OutboxCounters();
        using var sender = Sender(api, counters: counters);

        await sender.StartAsync(CancellationToken.None);
        await Task.Delay(1500); // rounds would have run by now, each counted and then overwritten by the writer's counts
        Assert.Empty(api.Calls);

        counters.Reset(pending: 1, failed: 0);
        var until = DateTime.UtcNow.AddSeconds(20);
        while (api.Calls.IsEmpty && DateTime.UtcNow < until)
            await Task.Delay(20);
        await sender.StopAsync(CancellationToken.None);
        Assert.Single(api.Calls);
        Assert.Equal((0, 1), (counters.Pending, counters.SentCount));
    }

    [Fact]
    public async Task ARoundThatCannotBeRecordedIsNotSentAgainAndIsCountedOnceRecorded()
    {
        await AddAsync([Reply("401"), ButtonAnswer("901")]);
        await using (var db = Db())
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse BEFORE UPDATE ON OutboxMessages BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        var api = new BotApi();
        var counters = new OutboxCounters();
        counters.Reset(pending: 2, failed: 0);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = Sender(api, clock, counters: counters);

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => sender.RunRoundAsync(CancellationToken.None));
        Assert.Equal((2, 0), (counters.Pending, counters.SentCount)); // still waiting, in the table and on the status page

        // The disk stays full for a while: the rounds meanwhile send nothing Telegram has already.
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(2));
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => sender.RunRoundAsync(CancellationToken.None));
        }
        Assert.Equal(2, api.Calls.Count);

        await using (var db = Db())
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse");
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.RunRoundAsync(CancellationToken.None);
        await sender.RunRoundAsync(CancellationToken.None);

        Assert.Equal(2, api.Calls.Count);
        Assert.Equal((0, 2, 0), (counters.Pending, counters.SentCount, counters.Failed));
        await using (var db = Db())
            Assert.Equal(2, await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Sent));
    }

    [Fact]
    public async Task ARoundStillUnrecordedWhenTheAppStopsDoesNotKeepItsDatabaseContext()
    {
        await AddAsync([Reply("402")]);
        await using (var db = Db())
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse BEFORE UPDATE ON OutboxMessages BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        var databases = new Databases(_options);
        var sender = Sender(new BotApi(), databases: databases);
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => sender.RunRoundAsync(CancellationToken.None));

        sender.Dispose(); // the host stops while the disk is still full

        Assert.NotEmpty(databases.Created);
        Assert.All(databases.Created, db => Assert.True(IsDisposed(db)));
    }

    [Fact]
    public async Task AnOlderEditBackingOffIsDroppedWhenANewerOneGoesSoItCannotUndoIt()
    {
        var (_, questionId) = await SeedQuestionAsync("EDITQ00001", channel: null, channelMessageId: 77);
        OutboxMessage Count(string text, DateTimeOffset notBefore) => new()
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = text, QuestionId = questionId, CreatedAt = _past, NotBefore = notBefore,
        };
        // The older edit met an error and waits a few seconds before its next try; the newer one is due now.
        await AddAsync([Count("50 answers", DateTimeOffset.UtcNow.AddMinutes(1)), Count("80 answers", _past)]);
        var api = new BotApi();
        var sender = Sender(api);

        await sender.RunRoundAsync(CancellationToken.None);
        await using (var db = Db()) // its back-off is over
            await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.NotBefore, _past));
        await sender.RunRoundAsync(CancellationToken.None);

        Assert.Equal(["80 answers"], api.Calls.Select(c => c.Text));
        await using var check = Db();
        Assert.Equal(OutboxSender.SupersededNote, (await check.OutboxMessages.SingleAsync(m => m.Text == "50 answers")).LastError);
    }

    [Fact]
    public async Task TriesWhileTelegramIsOutOfReachDoNotCountTowardsGivingUp()
    {
        await AddAsync([Reply("400")]);
        var api = new BotApi { Status = HttpStatusCode.BadGateway };

        await Sender(api).RunRoundAsync(CancellationToken.None);

        await using var db = Db();
        var message = await db.OutboxMessages.SingleAsync();
        Assert.Equal(OutboxStatus.Pending, message.Status);
        Assert.Equal(0, message.Attempts);
        Assert.Contains("502", message.LastError);
    }

    [Fact]
    public async Task AMessageTelegramAlwaysAnswers5xxWhileItSendsTheOthersIsGivenUpWithoutBlamingTelegram()
    {
        var api = new BotApi { Refuse = (_, chat) => chat == "666" ? (502, "Bad Gateway", null) : null };
        await AMessageTelegramFailsOnAsync(api);

        await using var db = Db();
        var bad = await db.OutboxMessages.SingleAsync(m => m.ChatId == "666");
        Assert.Equal((OutboxStatus.Failed, "502: Bad Gateway"), (bad.Status, bad.LastError));
        Assert.Equal(1 + OutboxSender.MaxStrikes, api.Calls.Count(c => c.Chat == "666"));
    }

    [Fact]
    public async Task AMessageTelegramNeverAnswersInTimeWhileItSendsTheOthersIsGivenUpWithoutBlamingTelegram()
    {
        var api = new BotApi { Hang = chat => chat == "666" };
        await AMessageTelegramFailsOnAsync(api, callTimeoutSeconds: 1);

        await using var db = Db();
        var bad = await db.OutboxMessages.SingleAsync(m => m.ChatId == "666");
        Assert.Equal((OutboxStatus.Failed, "Telegram did not answer within 1 s"), (bad.Status, bad.LastError));
    }

    /// <summary>
    /// A reply Telegram fails on, alone in the first round (which is an outage as far as anyone can tell), then with two
    /// others in each round after. Every round after the first sends the others, and is neither paused nor said to be an
    /// outage; after <see cref="OutboxSender.MaxStrikes"/> of them the reply is given up, counted with the failures.
    /// </summary>
    async Task AMessageTelegramFailsOnAsync(BotApi api, int callTimeoutSeconds = 10)
    {
        await AddAsync([Reply("666", "the one")]);
        var counters = new OutboxCounters();
        counters.Reset(pending: 1, failed: 0);
        var sender = Sender(api, counters: counters, perChatIntervalSeconds: 0, callTimeoutSeconds: callTimeoutSeconds);

        await sender.RunRoundAsync(CancellationToken.None);
        Assert.NotNull(counters.Outage.Current);

        for (var round = 1; round <= OutboxSender.MaxStrikes; round++)
        {
            await AddAsync([Reply($"{700 + round}"), Reply($"{800 + round}")]);
            counters.Added(2);
            await using (var db = Db()) // its back-off is over
                await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.NotBefore, _past));
            await sender.RunRoundAsync(CancellationToken.None);

            Assert.Null(counters.Outage.Current);
            Assert.True(sender.PausedUntil <= DateTimeOffset.UtcNow, $"round {round} paused the sender");
            Assert.Contains(api.Calls, c => c.Chat == $"{800 + round}");
        }

        await using var check = Db();
        Assert.Equal(2 * OutboxSender.MaxStrikes, await check.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Sent));
        Assert.Equal((0, 1), (counters.Pending, counters.Failed));
    }

    [Fact]
    public async Task AMessageThatFailsBeforeTelegramAnswersTheOthersOfItsRoundGetsAStrikeAndPausesNothing()
    {
        // Answers to button presses go side by side, unpaced: the one Telegram fails on fails while it is still answering
        // the other, so it looks like an outage until that answer comes.
        await AddAsync([ButtonAnswer("bad"), ButtonAnswer("good")]);
        var asked = new TaskCompletionSource();
        var api = new BotApi
        {
            Refuse = (_, query) => query == "bad" ? (502, "Bad Gateway", null) : null,
            OnCall = async query =>
            {
                if (query == "bad")
                    await asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
                else
                {
                    asked.TrySetResult();
                    await Task.Delay(200);
                }
            },
        };
        var counters = new OutboxCounters();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = Sender(api, clock, counters: counters);

        for (var round = 1; round <= OutboxSender.MaxStrikes; round++)
        {
            await sender.RunRoundAsync(CancellationToken.None);
            Assert.True(sender.PausedUntil <= clock.GetUtcNow(), $"round {round} left the sender paused");
            Assert.Null(counters.Outage.Current);
            clock.Advance(TimeSpan.FromMinutes(1)); // past its back-off
            await AddAsync([ButtonAnswer($"good{round}")]);
            asked = new TaskCompletionSource();
        }

        await using var db = Db();
        var bad = await db.OutboxMessages.SingleAsync(m => m.CallbackQueryId == "bad");
        Assert.Equal(OutboxStatus.Failed, bad.Status);
        Assert.NotNull(bad.LastError);
    }

    [Fact]
    public async Task AnOutageOfManyRoundsGivesUpNothing()
    {
        // Every call fails in every round: however long that lasts, no message is at fault.
        await AddAsync(Enumerable.Range(0, 3).Select(i => ButtonAnswer($"q{i}")));
        var api = new BotApi { Status = HttpStatusCode.BadGateway };
        var counters = new OutboxCounters();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = Sender(api, clock, counters: counters);

        for (var round = 0; round < 3 * OutboxSender.MaxStrikes; round++)
        {
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(11)); // past the longest pause
        }

        Assert.True(api.Calls.Count >= 3 * OutboxSender.MaxStrikes);
        await using var db = Db();
        Assert.All(await db.OutboxMessages.ToListAsync(), m => Assert.Equal((OutboxStatus.Pending, 0), (m.Status, m.Attempts)));
        Assert.Equal(0, counters.Failed);
        Assert.NotNull(counters.Outage.Current);
    }

    [Fact]
    public async Task AMessageTelegramTookButAnsweredInAShapeTheLibraryCannotReadIsNotSentAgain()
    {
        // Telegram sent it (200, ok) and described the sent message in a shape Telegram.Bot cannot read (a newer Bot
        // API's, say). Tried again, the participant would get it again at every try, for as long as the event runs.
        await AddAsync([Reply("600", "Recorded: const")]);
        var api = new BotApi { Answer = (_, _) => """{"ok":true,"result":{"message_id":{"new":"shape"},"date":0,"chat":{"id":600,"type":"private"}}}""" };
        var counters = new OutboxCounters();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = Sender(api, clock, counters: counters);

        for (var round = 0; round < 3; round++)
        {
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(api.Calls);
        await using var db = Db();
        var row = await db.OutboxMessages.SingleAsync();
        Assert.Equal((OutboxStatus.Sent, OutboxSender.AnswerUnreadNote), (row.Status, row.LastError));
        Assert.Null(counters.Outage.Current); // Telegram answered: it is not out of reach
        Assert.Equal((0, 1), (counters.Failed, counters.SentCount));
    }

    [Fact]
    public async Task TheRoundThatWaitsOutAPauseSendsThoughItsTimerFiresBeforeThePauseEnds()
    {
        await AddAsync([Reply("666")]);
        var api = new BotApi { Status = HttpStatusCode.BadGateway };
        var clock = new WholeMillisecondTimers(DateTimeOffset.UtcNow);
        var sender = Sender(api, clock);
        await sender.RunRoundAsync(CancellationToken.None); // an outage: the sender pauses for a second
        Assert.True(sender.PausedUntil > clock.GetUtcNow());

        api.Status = HttpStatusCode.OK;
        await AddAsync([Reply("701")]);
        clock.Advance(TimeSpan.FromTicks(5_000)); // half a millisecond: the pause now ends between two whole milliseconds
        var round = sender.RunRoundAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(Math.Floor((sender.PausedUntil - clock.GetUtcNow()).TotalMilliseconds)));
        for (var step = 0; step < 50 && !round.IsCompleted; step++)
        {
            await Task.Delay(20);
            if (!round.IsCompleted) clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        await round.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(api.Calls, c => c.Chat == "701");
    }

    /// <summary>A clock whose timers fire on whole milliseconds, as the system's do: a wait of 999.5 ms ends after 999.</summary>
    sealed class WholeMillisecondTimers(DateTimeOffset start) : Microsoft.Extensions.Time.Testing.FakeTimeProvider(start)
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.FromMilliseconds(Math.Floor(dueTime.TotalMilliseconds)), period);
    }

    [Fact]
    public async Task AnswersToButtonPressesDoNotWaitForTheOverallMessageRate()
    {
        await AddAsync(Enumerable.Range(0, 5).Select(i => ButtonAnswer($"q{i}")));
        var api = new BotApi();
        // One message a second, on a clock that does not move: a round that paced them would never end.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);

        await Sender(api, clock, messagesPerSecond: 1).RunRoundAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(["q0", "q1", "q2", "q3", "q4"], api.Calls.Select(c => c.Chat).Order());
    }

    [Fact]
    public async Task AButtonPressTelegramNoLongerTakesAnAnswerToIsNoFailure()
    {
        await AddAsync([ButtonAnswer("old")]);
        var api = new BotApi { Refuse = (_, _) => (400, "Bad Request: query is too old and response timeout expired or query ID is invalid", null) };
        var counters = new OutboxCounters();

        await Sender(api, counters: counters).RunRoundAsync(CancellationToken.None);

        await using var db = Db();
        var row = await db.OutboxMessages.SingleAsync();
        Assert.Equal((OutboxStatus.Sent, OutboxSender.ExpiredNote), (row.Status, row.LastError));
        Assert.Equal((0, 1), (counters.Failed, counters.SentCount));
    }

    [Fact]
    public async Task AChannelsOwnLimitHoldsBackOnlyTheChannel()
    {
        await AddAsync([ChannelPost(), Reply("401")]);
        var api = new BotApi { Refuse = (_, chat) => chat == "@codeweek" ? (429, "Too Many Requests: retry after 30", 30) : null };
        var sender = Sender(api);

        await sender.RunRoundAsync(CancellationToken.None);

        Assert.Contains(api.Calls, c => c.Chat == "401");
        Assert.True(sender.PausedUntil < DateTimeOffset.UtcNow, "the whole bot was paused");
        await using var db = Db();
        var post = await db.OutboxMessages.SingleAsync(m => m.ChatId == "@codeweek");
        Assert.Equal(OutboxStatus.Pending, post.Status);
        Assert.True(post.NotBefore > DateTimeOffset.UtcNow.AddSeconds(25));
        // The next round leaves the channel alone until then.
        await AddAsync([ChannelPost("Question 2")]);
        await sender.RunRoundAsync(CancellationToken.None);
        Assert.Single(api.Calls, c => c.Chat == "@codeweek");
    }

    [Fact]
    public async Task TheCountOfAQuestionPostDeletedInTheChannelIsNoRefusalToShow()
    {
        var (_, questionId) = await SeedQuestionAsync("GONEQ00001", channel: "@codeweek", channelMessageId: 12);
        await AddAsync([new OutboxMessage
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = "Question 1: 12 answers", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        }]);
        var api = new BotApi { Refuse = (method, _) => method == "editMessageText" ? (400, "Bad Request: message to edit not found", null) : null };
        var counters = new OutboxCounters();

        await Sender(api, counters: counters).RunRoundAsync(CancellationToken.None);

        await using var check = Db();
        var edit = await check.OutboxMessages.SingleAsync();
        Assert.Equal((OutboxStatus.Sent, OutboxSender.PostGoneNote), (edit.Status, edit.LastError));
        Assert.Equal(0, counters.Failed);
    }

    [Fact]
    public async Task ARevokedTokenPausesSendingAndGivesNothingUp()
    {
        await AddAsync([Reply("402"), ChannelPost()]);
        var api = new BotApi { Refuse = (_, _) => (401, "Unauthorized", null) };
        var counters = new OutboxCounters();

        await Sender(api, counters: counters).RunRoundAsync(CancellationToken.None);

        await using var db = Db();
        Assert.All(await db.OutboxMessages.ToListAsync(), m => Assert.Equal(OutboxStatus.Pending, m.Status));
        Assert.Equal(0, counters.Failed);
        Assert.Contains("401: Unauthorized", counters.Outage.Current?.LastError);
    }

    [Fact]
    public async Task PostsFollowAGroupThatBecameASupergroupAndTheEventsChannelWithThem()
    {
        var (eventId, questionId, api, clock, sender) = await AQuestionPostForAGroupThatBecameASupergroupAsync("MOVEQ00001");
        var told = new TaskCompletionSource<CatalogChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var page = _changes.Subscribe(change => { told.TrySetResult(change); return Task.CompletedTask; });

        await sender.RunRoundAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2)); // one message a second to a chat
        await sender.RunRoundAsync(CancellationToken.None);

        await using (var db = Db())
        {
            var post = await db.OutboxMessages.SingleAsync();
            Assert.Equal((OutboxStatus.Sent, supergroup), (post.Status, post.ChatId));
            Assert.Equal(supergroup, (await db.Events.SingleAsync(e => e.Id == eventId)).ChannelId);
            Assert.NotNull((await db.Questions.SingleAsync()).ChannelMessageId);
        }
        // The move is recorded once; the writer is told to read the events again, and pages open on the event to show it.
        Assert.Equal(1, _writer.CatalogChanges);
        Assert.Equal(new CatalogChanged(eventId, EventItself: true), await told.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        // Rows the writer made with the group's old id before it read the events again go to the supergroup too.
        OutboxMessage count = new()
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = group, Text = "Question 1: 12 answers", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        };
        var results = ChannelPost("Results of question 1");
        results.ChatId = group;
        await AddAsync([count]);
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.RunRoundAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await AddAsync([results]);
        await sender.RunRoundAsync(CancellationToken.None);

        Assert.Equal([("sendMessage", group), ("sendMessage", supergroup), ("editMessageText", supergroup), ("sendMessage", supergroup)],
            api.Calls.Select(c => (c.Method, c.Chat)));
        await using var check = Db();
        Assert.All(await check.OutboxMessages.ToListAsync(), m => Assert.Equal(OutboxStatus.Sent, m.Status));
    }

    [Fact]
    public async Task AnEventSetBackToTheGroupsOldIdIsFollowedToTheSupergroupAgain()
    {
        var (eventId, _, api, clock, sender) = await AQuestionPostForAGroupThatBecameASupergroupAsync("BACKQ00001");
        await sender.RunRoundAsync(CancellationToken.None); // refused: the group is a supergroup now
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.RunRoundAsync(CancellationToken.None);
        Assert.Equal(1, _writer.CatalogChanges);

        // A script renames the event with PUT /api/events/{id}, sending the channel it read before the group became a
        // supergroup; the writer reads the events again and makes the results post with the group's old id.
        var catalog = new QuizCatalog(new Databases(_options), clock, _writer, _changes);
        var input = new EventInput { Name = "Code Week final", Language = "en", ChannelId = group };
        Assert.True((await catalog.UpdateEventAsync(eventId, input)).Succeeded);
        var writerTold = _writer.CatalogChanges;
        var told = new TaskCompletionSource<CatalogChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var page = _changes.Subscribe(change => { told.TrySetResult(change); return Task.CompletedTask; });
        var results = ChannelPost("Results of question 1");
        results.ChatId = group;
        await AddAsync([results]);
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.RunRoundAsync(CancellationToken.None);

        // The post goes to the supergroup, and the event is the supergroup's again: for the writer, and for open pages.
        Assert.Equal([("sendMessage", group), ("sendMessage", supergroup), ("sendMessage", supergroup)], api.Calls.Select(c => (c.Method, c.Chat)));
        await using (var db = Db())
            Assert.Equal(supergroup, (await db.Events.SingleAsync(e => e.Id == eventId)).ChannelId);
        Assert.Equal(writerTold + 1, _writer.CatalogChanges);
        Assert.Equal(new CatalogChanged(eventId, EventItself: true), await told.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        // A post the writer made with the old id before it read the events again changes nothing: nobody is told again.
        var late = ChannelPost("Question 2");
        late.ChatId = group;
        await AddAsync([late]);
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.RunRoundAsync(CancellationToken.None);
        Assert.Equal(("sendMessage", supergroup), api.Calls.Select(c => (c.Method, c.Chat)).Last());
        Assert.Equal(writerTold + 1, _writer.CatalogChanges);
    }

    [Fact]
    public async Task APostMadeWithTheGroupsOldIdWaitsForTheSupergroupsOwnLimit()
    {
        var announcement = ChannelPost();
        announcement.ChatId = group;
        await AddAsync([announcement]);
        var api = new BotApi { Refuse = (_, chat) => chat == supergroup ? (429, "Too Many Requests: retry after 30", 30) : null };
        api.Upgraded[group] = long.Parse(supergroup);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = Sender(api, clock);

        await sender.RunRoundAsync(CancellationToken.None); // refused: the group is a supergroup now
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.RunRoundAsync(CancellationToken.None); // the supergroup asks for 30 s
        Assert.Equal([("sendMessage", group), ("sendMessage", supergroup)], api.Calls.Select(c => (c.Method, c.Chat)));

        // The writer still knows the group's old id: its next post waits as the supergroup does.
        var results = ChannelPost("Results of question 1");
        results.ChatId = group;
        await AddAsync([results]);
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.RunRoundAsync(CancellationToken.None);

        Assert.Equal(2, api.Calls.Count);
        await using var db = Db();
        Assert.Equal(2, await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending));
    }

    [Fact]
    public async Task ACorrectionOfAResultsPostThatWasNeverMadeDoesNotHoldBackTheNextPostNorShowAsRefused()
    {
        // Question 1 closed while the event had no channel, so it has no results post; the channel was set since. A winner
        // of question 1 is left out: its correction has nothing to correct. Then question 2 closes, with its results post.
        var (_, first) = await SeedQuestionAsync("NOPOSTQ001", channel: "@codeweek", channelMessageId: null);
        OutboxMessage correction = new()
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelResultsEdit, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = "Results of question 1, corrected", QuestionId = first, CreatedAt = _past, NotBefore = _past,
        };
        var results = ChannelPost("Results of question 2");
        results.Purpose = OutboxPurpose.ChannelResults;
        await AddAsync([correction, results]);
        var api = new BotApi();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var counters = new OutboxCounters();
        counters.Reset(pending: 2, failed: 0);
        var sender = Sender(api, clock, counters: counters);

        for (var round = 0; round < 3; round++)
        {
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1.5)); // a channel takes one message a second
        }

        Assert.Equal([("sendMessage", "Results of question 2")], api.Calls.Select(c => (c.Method, c.Text)));
        await using var db = Db();
        Assert.Equal(OutboxStatus.Sent, (await db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelResultsEdit)).Status);
        Assert.Equal((0, 0), (counters.Pending, counters.Failed));
    }

    [Fact]
    public async Task TheEditOfAReopenedQuestionsResultsPostGoesToThatPostNotToTheOneOfItsNextClose()
    {
        // Question 1 closed (its results post is in the channel, as message 501), was reopened (the post is to say so) and
        // closed again at once, while the channel's own limit held both back: the new results post must go out as written.
        var (calls, reopenedEdited) = await ReopenedAndClosedAgainAsync("REOPENQ001");

        Assert.Equal([("editMessageText", "Question 1 is open again."), ("sendMessage", "Question 1: results, Ada and Linus")], calls);
        Assert.Equal(501, reopenedEdited);
    }

    [Fact]
    public async Task ACorrectionOfTheResultsOfASecondCloseDoesNotDropTheEditSayingTheFirstResultsWereReopened()
    {
        // As above, and then a winner is left out, correcting the new results post before it went out.
        var (calls, reopenedEdited) = await ReopenedAndClosedAgainAsync("REOPENQ002", correction: "Question 1: results, Linus first");

        // The first results post no longer reads as final; the second goes out corrected.
        Assert.Equal([("editMessageText", "Question 1 is open again."), ("sendMessage", "Question 1: results, Linus first")], calls);
        Assert.Equal(501, reopenedEdited);
    }

    /// <summary>
    /// A question's first results post in the channel (message 501), the edit saying it was reopened, its second results post
    /// and, if given, a correction of that one, all held back until now; what four rounds a channel's second apart send, and
    /// which message the reopen's edit went to.
    /// </summary>
    async Task<((string Method, string? Text)[] Calls, int? ReopenedEdited)> ReopenedAndClosedAgainAsync(string code, string? correction = null)
    {
        var (_, questionId) = await SeedQuestionAsync(code, channel: "@codeweek", channelMessageId: 77);
        var first = ChannelPost("Question 1: results, Ada first");
        (first.Purpose, first.QuestionId, first.Status, first.MessageId) = (OutboxPurpose.ChannelResults, questionId, OutboxStatus.Sent, 501);
        OutboxMessage ResultsEdit(string text) => new()
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelResultsEdit, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = text, QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        };
        var reopened = ResultsEdit("Question 1 is open again.");
        var second = ChannelPost("Question 1: results, Ada and Linus");
        (second.Purpose, second.QuestionId) = (OutboxPurpose.ChannelResults, questionId);
        await AddAsync([first]);
        await AddAsync([reopened]);
        await AddAsync([second]);
        if (correction is not null)
            await AddAsync([ResultsEdit(correction)]);
        var api = new BotApi();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = Sender(api, clock);

        for (var round = 0; round < 4; round++)
        {
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1.5)); // a channel takes one message a second
        }

        await using var db = Db();
        return ([.. api.Calls.Select(c => (c.Method, c.Text))], (await db.OutboxMessages.SingleAsync(m => m.Id == reopened.Id)).MessageId);
    }

    [Fact]
    public async Task TheCountOfAQuestionOpenedWithoutAChannelIsNotRetriedUntilItShowsAsRefused()
    {
        // The question opened while the event had no channel, so it has no question post; the channel was set since, and
        // the question closes: the edit saying so has no post to edit.
        var (_, questionId) = await SeedQuestionAsync("NOPOSTQ002", channel: "@codeweek", channelMessageId: null);
        await AddAsync([new OutboxMessage
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = "Question 1 is closed: 12 answers", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        }]);
        var api = new BotApi();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var counters = new OutboxCounters();
        counters.Reset(pending: 1, failed: 0);
        var sender = Sender(api, clock, counters: counters);

        for (var round = 0; round < 25; round++)
        {
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1.5));
        }

        Assert.Empty(api.Calls);
        await using var db = Db();
        Assert.Equal(OutboxStatus.Sent, (await db.OutboxMessages.SingleAsync()).Status);
        Assert.Equal((0, 0), (counters.Pending, counters.Failed));
    }

    [Fact]
    public async Task TheCountOfAQuestionPostTelegramRefusedBecomesItsTextAndPostAgainSendsThatAsANewPost()
    {
        // The bot was not yet an administrator of the channel: Telegram refused the question post. Then the question closes,
        // and the edit saying so has no post to edit.
        var (_, questionId) = await SeedQuestionAsync("REFUSEDQ01", channel: "@codeweek", channelMessageId: null);
        var post = ChannelPost("Question 1: answer here");
        (post.QuestionId, post.Status, post.Attempts, post.LastError) = (questionId, OutboxStatus.Failed, 1, "403: Forbidden: bot is not a member of the channel chat");
        await AddAsync([post, new OutboxMessage
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = "Question 1 is closed: 12 answers", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        }]);
        var api = new BotApi();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var counters = new OutboxCounters();
        counters.Reset(pending: 1, failed: 1);
        var sender = Sender(api, clock, counters: counters);

        for (var round = 0; round < 25; round++)
        {
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1.5));
        }

        // One refusal, the post's own, not a second one reading "never sent".
        Assert.Empty(api.Calls);
        Assert.Equal((0, 1), (counters.Pending, counters.Failed));
        await using (var db = Db())
        {
            var edit = await db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelCount);
            Assert.Equal((OutboxStatus.Sent, OutboxSender.FoldedIntoRefusedNote), (edit.Status, edit.LastError));
            Assert.True(await OutboxRequeue.PostAgainAsync(db, counters, questionId, OutboxPurpose.ChannelAnnouncement, clock.GetUtcNow(), CancellationToken.None));
        }

        await sender.RunRoundAsync(CancellationToken.None);

        // The bot made an administrator, the organizer posts it again: the channel gets the post as it reads now.
        Assert.Equal([("sendMessage", "Question 1 is closed: 12 answers")], api.Calls.Select(c => (c.Method, c.Text)));
    }

    [Fact]
    public async Task TheCountOfAQuestionOpenedAgainAfterAStartOverBecomesTheTextOfItsNewPost()
    {
        // The rehearsal's question post is still in the channel, as message 77.
        var (_, questionId) = await SeedQuestionAsync("AGAINQ0001", channel: "@codeweek", channelMessageId: 77);
        var rehearsal = ChannelPost();
        (rehearsal.QuestionId, rehearsal.Status) = (questionId, OutboxStatus.Sent);
        // Opened again after the Start over: its new post met an error and waits to be tried again.
        var post = ChannelPost();
        (post.QuestionId, post.Attempts, post.NotBefore) = (questionId, 1, DateTimeOffset.UtcNow.AddSeconds(30));
        OutboxMessage count = new()
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = "Question 1: 3 answers", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        };
        await AddAsync([rehearsal, post, count]);
        var api = new BotApi();

        await Sender(api).RunRoundAsync(CancellationToken.None);

        // The rehearsal's post is not overwritten: the new post goes out reading the count.
        Assert.Empty(api.Calls);
        await using var check = Db();
        Assert.Equal((OutboxStatus.Sent, OutboxSender.FoldedIntoWaitingNote),
            await check.OutboxMessages.Where(m => m.Id == count.Id).Select(m => new ValueTuple<OutboxStatus, string?>(m.Status, m.LastError)).SingleAsync());
        Assert.Equal((OutboxStatus.Pending, "Question 1: 3 answers"),
            await check.OutboxMessages.Where(m => m.Id == post.Id).Select(m => new ValueTuple<OutboxStatus, string?>(m.Status, m.Text)).SingleAsync());
    }

    [Theory]
    [InlineData(QuestionState.Draft)]
    [InlineData(QuestionState.Open)]
    public async Task AQuestionTakenBackToDraftBeforeItsPostWentOutIsNeverPostedAndOneOpenedAgainIsPostedAsTheEditSays(QuestionState now)
    {
        // The channel's own limit holds the question post; the host takes the question back to draft meanwhile (opened too
        // early), and maybe opens it again in its turn before the next round (its new post not made yet).
        var (_, questionId) = await SeedQuestionAsync("DRAFTQ0001", channel: "@codeweek", channelMessageId: null, state: now);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var post = ChannelPost("Question 1: answer here");
        (post.QuestionId, post.LastError, post.NotBefore) = (questionId, "429: Too Many Requests: retry after 5", clock.GetUtcNow().AddSeconds(5));
        var withdrawn = new OutboxMessage
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = "Question 1 was opened too early.", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        };
        await AddAsync([post, withdrawn]);
        var opening = ChannelPost("Question 1: answer here, in its turn");
        (opening.QuestionId, opening.NotBefore) = (questionId, clock.GetUtcNow().AddSeconds(60)); // the channel's limit again
        if (now == QuestionState.Open)
            await AddAsync([opening]);
        var api = new BotApi();
        var counters = new OutboxCounters();
        counters.Reset(pending: now == QuestionState.Open ? 3 : 2, failed: 0);
        var sender = Sender(api, clock, counters: counters);

        await sender.RunRoundAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(6));
        await sender.RunRoundAsync(CancellationToken.None);

        await using var check = Db();
        var rows = await check.OutboxMessages.OrderBy(m => m.Id).Select(m => new ValueTuple<OutboxStatus, string?>(m.Status, m.LastError)).ToListAsync();
        if (now == QuestionState.Draft)
        {
            // The channel never saw the question: it hears nothing of it.
            Assert.Empty(api.Calls);
            Assert.Equal([(OutboxStatus.Sent, OutboxSender.WithdrawnUnsentNote), (OutboxStatus.Sent, OutboxSender.WithdrawnUnsentNote)], rows);
        }
        else
        {
            // Opened again: the earlier post goes out saying it was opened too early, before the one its opening makes.
            Assert.Equal([("sendMessage", "Question 1 was opened too early.")], api.Calls.Select(c => (c.Method, c.Text)));
            Assert.Equal((OutboxStatus.Sent, OutboxSender.FoldedIntoWaitingNote), rows[1]);
            Assert.Equal((OutboxStatus.Pending, "Question 1: answer here, in its turn"),
                await check.OutboxMessages.Where(m => m.Id == opening.Id).Select(m => new ValueTuple<OutboxStatus, string?>(m.Status, m.Text)).SingleAsync());
        }
        Assert.Equal((now == QuestionState.Open ? 1 : 0, 0), (counters.Pending, counters.Failed));
    }

    [Fact]
    public async Task TheCountAndCloseOfAQuestionPostWaitingForTheChannelsLimitGoOutAsItsTextAndShowNoRefusal()
    {
        // Telegram asked the channel to wait 40 s (its own limit of about 20 posts a minute) as the question opened; answers
        // come in, and the question closes, while the post waits.
        var (_, questionId) = await SeedQuestionAsync("WAITQ00001", channel: "@codeweek", channelMessageId: null);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var post = ChannelPost("Question 1: answer here");
        (post.QuestionId, post.LastError, post.NotBefore) = (questionId, "429: Too Many Requests: retry after 40", clock.GetUtcNow().AddSeconds(40));
        OutboxMessage Edit(string text) => new()
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = "@codeweek", Text = text, QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        };
        await AddAsync([post, Edit("Question 1: 12 answers")]);
        var api = new BotApi();
        var counters = new OutboxCounters();
        counters.Reset(pending: 3, failed: 0);
        var sender = Sender(api, clock, counters: counters);

        for (var round = 0; round < 25; round++)
        {
            if (round == 10) await AddAsync([Edit("Question 1 is closed: 15 answers")]);
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1.5)); // 37.5 s in all: the post still waits
        }
        Assert.Empty(api.Calls);
        clock.Advance(TimeSpan.FromSeconds(3));
        await sender.RunRoundAsync(CancellationToken.None);

        // One post, reading as the question is now; no edit, and nothing "never sent".
        Assert.Equal([("sendMessage", "Question 1 is closed: 15 answers")], api.Calls.Select(c => (c.Method, c.Text)));
        Assert.Equal((0, 0), (counters.Pending, counters.Failed));
        await using var check = Db();
        Assert.All(await check.OutboxMessages.Where(m => m.Purpose == OutboxPurpose.ChannelCount).ToListAsync(),
            m => Assert.Equal((OutboxStatus.Sent, OutboxSender.FoldedIntoWaitingNote), (m.Status, m.LastError)));
    }

    [Fact]
    public async Task EditsOfPostsWhoseIdTelegramsAnswerDidNotNameReadablyAreNotSentAnywhereNorShowAsRefused()
    {
        // The rehearsal's question post is still in the channel, as message 77. After the Start over, the question's new
        // post and its results post go out, but Telegram's answers describe them in a shape Telegram.Bot cannot read.
        var (_, questionId) = await SeedQuestionAsync("UNREADQ001", channel: "@codeweek", channelMessageId: 77);
        var rehearsal = ChannelPost();
        (rehearsal.QuestionId, rehearsal.Status) = (questionId, OutboxStatus.Sent);
        var post = ChannelPost();
        post.QuestionId = questionId;
        var results = ChannelPost("Question 1: results");
        (results.QuestionId, results.Purpose) = (questionId, OutboxPurpose.ChannelResults);
        await AddAsync([rehearsal, post, results]);
        var api = new BotApi { Answer = (_, _) => """{"ok":true,"result":{"message_id":{"new":"shape"},"date":0,"chat":{"id":-100,"type":"channel"}}}""" };
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var counters = new OutboxCounters();
        counters.Reset(pending: 2, failed: 0);
        var sender = Sender(api, clock, counters: counters);
        for (var round = 0; round < 2; round++) // one post a round to the channel
        {
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1.5));
        }
        Assert.Equal(2, api.Calls.Count);

        // The question's close, and a correction of its results (someone sent /forget).
        await AddAsync([
            new OutboxMessage
            {
                Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
                ChatId = "@codeweek", Text = "Question 1 is closed: 12 answers", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
            },
            new OutboxMessage
            {
                Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelResultsEdit, Priority = OutboxMessage.UrgentPriority,
                ChatId = "@codeweek", Text = "Question 1: results (11 answers)", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
            }]);
        counters.Added(2);
        for (var round = 0; round < 25; round++)
        {
            await sender.RunRoundAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1.5));
        }

        // Not the rehearsal's post edited to read the new close, and no refusal of a post that went out.
        Assert.Equal(["sendMessage", "sendMessage"], api.Calls.Select(c => c.Method));
        Assert.Equal((0, 0), (counters.Pending, counters.Failed));
        await using var check = Db();
        Assert.All(await check.OutboxMessages.Where(m => m.Method == OutboxMethod.EditMessageText).ToListAsync(),
            m => Assert.Equal((OutboxStatus.Sent, OutboxSender.IdUnreadNote), (m.Status, m.LastError)));
    }

    [Fact]
    public async Task TheCountOfAPostMadeBeforeTheGroupBecameASupergroupIsNotEditedIntoAnotherMessage()
    {
        var (_, questionId) = await SeedQuestionAsync("MOVEQ00002", channel: group, channelMessageId: 153);
        // The question post went to the group; the group became a supergroup while the question was open.
        var announcement = ChannelPost();
        (announcement.ChatId, announcement.QuestionId, announcement.Status) = (group, questionId, OutboxStatus.Sent);
        OutboxMessage count = new()
        {
            Method = OutboxMethod.EditMessageText, Purpose = OutboxPurpose.ChannelCount, Priority = OutboxMessage.UrgentPriority,
            ChatId = supergroup, Text = "Question 1: 12 answers", QuestionId = questionId, CreatedAt = _past, NotBefore = _past,
        };
        await AddAsync([announcement, count]);
        var api = new BotApi();
        api.Upgraded[group] = long.Parse(supergroup);
        var counters = new OutboxCounters();

        await Sender(api, counters: counters).RunRoundAsync(CancellationToken.None);

        Assert.Equal([("editMessageText", group)], api.Calls.Select(c => (c.Method, c.Chat)));
        await using var check = Db();
        var edit = await check.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelCount);
        Assert.Equal(OutboxStatus.Sent, edit.Status);
        Assert.Contains("old history", edit.LastError);
        Assert.Equal(0, counters.Failed);
    }

    SqliteQuizDbContext Db() => new(_options);

    /// <summary>An event with one question, its channel and the message id of its question post as given.</summary>
    /// <summary>A question that has been opened (its posts are of a question in the show), or in <paramref name="state"/>.</summary>
    [Fact]
    public async Task ATimedPromptSaysHowLongIsLeftWhenItLeavesNotWhenItWasQueued()
    {
        // A crowd scanned timed questions 20 s ago; their prompts were queued then, saying what was left then, and leave now.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var queued = clock.GetUtcNow().AddSeconds(-20);
        var running = await SeedTimedQuestionAsync("TIMEDRUN01", QuestionState.Open, openedAt: queued, limit: 60);
        var extended = await SeedTimedQuestionAsync("TIMEDEXT01", QuestionState.Open, openedAt: queued, limit: 60, extra: 30);
        var ranOut = await SeedTimedQuestionAsync("TIMEDOUT01", QuestionState.Open, openedAt: queued, limit: 15); // the close on its way
        var closed = await SeedTimedQuestionAsync("TIMEDCLO01", QuestionState.Closed, openedAt: queued, limit: 60);
        var draft = await SeedTimedQuestionAsync("TIMEDDRA01", QuestionState.Draft, openedAt: null, limit: 60); // taken back to draft
        var italian = await SeedTimedQuestionAsync("TIMEDITA01", QuestionState.Open, openedAt: queued, limit: 60, language: "it");
        await using (var db = Db())
        {
            db.OutboxBodies.Add(new OutboxBody { Id = 77, Text = "<b>Question 1</b>\n\nWhich loop?\n\n✍️ Send your answer.\n⏱ 60 s left." });
            await db.SaveChangesAsync();
        }
        var shared = TimedPrompt("608", running, "");
        (shared.Text, shared.ReplyMarkupJson, shared.BodyId) = (null, null, 77);
        await AddAsync([
            TimedPrompt("601", running, "⏱ 60 s left."), TimedPrompt("602", extended, "⏱ 60 s left."),
            TimedPrompt("603", ranOut, "⏱ 15 s left."), TimedPrompt("604", closed, "⏱ 60 s left."),
            TimedPrompt("605", draft, "⏱ 60 s left."), TimedPrompt("606", italian, "⏱ Restano 60 s."),
            TimedPrompt("607", questionId: 999_999, "⏱ 60 s left."), shared,
            Reply("609", "An acknowledgement\n⏱ 60 s left."), // not a prompt: its text is its own
        ]);
        var api = new BotApi();

        await RoundAsync(Sender(api, clock), clock);

        var sent = api.Calls.ToDictionary(c => c.Chat, c => c.Text);
        Assert.Equal("<b>Question 1</b>\n\nWhich loop?\n\n✍️ Send your answer.\n⏱ 40 s left.", sent["601"]);
        Assert.EndsWith("\n⏱ 70 s left.", sent["602"]);
        Assert.EndsWith("\n⏱ Time is up: a late answer does not rank.", sent["603"]);
        Assert.EndsWith("\n⏱ Time is up: a late answer does not rank.", sent["604"]);
        Assert.StartsWith("⏳ Question 1 is not open yet.", sent["605"]);
        Assert.EndsWith("\n⏱ Restano 40 s.", sent["606"]);
        Assert.EndsWith("\n✍️ Send your answer.", sent["607"]);
        Assert.Equal(sent["601"], sent["608"]);
        Assert.Equal("An acknowledgement\n⏱ 60 s left.", sent["609"]);
        // Each row keeps what it sent, as every row does; the shared one no longer names the body, whose text is as it was.
        await using var check = Db();
        var rows = await check.OutboxMessages.ToListAsync();
        Assert.All(rows, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.All(rows.Where(m => m.BodyId is null), m => Assert.Equal(sent[m.ChatId], m.Text));
        Assert.Null(rows.Single(m => m.ChatId == "608").BodyId);
        Assert.Equal(Keyboard, rows.Single(m => m.ChatId == "601").ReplyMarkupJson);
        Assert.Null(rows.Single(m => m.ChatId == "605").ReplyMarkupJson); // no buttons to answer a question that is not open
        Assert.Equal(["601", "602", "603", "604", "606", "607"], api.Keyboards.Keys.Order());
        Assert.EndsWith("⏱ 60 s left.", (await check.OutboxBodies.SingleAsync(b => b.Id == 77)).Text);
    }

    [Fact]
    public async Task ATimedPromptLeavingAgainAfterAFailedCallSaysWhatIsLeftThen()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var question = await SeedTimedQuestionAsync("TIMEDRETRY", QuestionState.Open, openedAt: clock.GetUtcNow(), limit: 120);
        await AddAsync([TimedPrompt("610", question, "⏱ 120 s left.")]);
        var refuse = true;
        var api = new BotApi { Refuse = (_, _) => refuse ? (502, "Bad Gateway", null) : null };
        var sender = Sender(api, clock);
        await RoundAsync(sender, clock);

        refuse = false;
        clock.Advance(TimeSpan.FromSeconds(45));
        await RoundAsync(sender, clock);
        for (var i = 0; i < 20 && api.Calls.Count < 2; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            await RoundAsync(sender, clock);
        }

        var (first, again) = (api.Calls.First().Text!, api.Calls.Last().Text!);
        Assert.EndsWith("\n⏱ 120 s left.", first);
        var left = int.Parse(System.Text.RegularExpressions.Regex.Match(again, @"⏱ (\d+) s left\.$").Groups[1].Value);
        Assert.InRange(left, 1, 75); // 45 s or more after the first try
    }

    /// <summary>A timed question's prompt as the conversation makes it, with <paramref name="timeLeft"/> as its last line.</summary>
    OutboxMessage TimedPrompt(string chat, int questionId, string timeLeft)
    {
        var prompt = Reply(chat, "<b>Question 1</b>\n\nWhich loop?\n\n✍️ Send your answer.\n" + timeLeft);
        (prompt.Priority, prompt.TimedQuestionId, prompt.ReplyMarkupJson) = (OutboxMessage.PromptPriority, questionId, Keyboard);
        return prompt;
    }

    const string Keyboard = """{"inline_keyboard":[[{"text":"A","callback_data":"a:TIMED:0"}]]}""";

    async Task<int> SeedTimedQuestionAsync(string code, QuestionState state, DateTimeOffset? openedAt, int limit, int extra = 0, string language = "en")
    {
        await using var db = Db();
        var quizEvent = new QuizEvent { Name = "Code Week", CreatedAt = _past, Language = language };
        var question = new Question
        {
            Prompt = "Which loop?", Code = code, Position = 1, AcceptedAnswers = ["do"], State = state, OpenedAt = openedAt,
            TimeLimitSeconds = limit, ExtraSeconds = extra, ClosedAt = state == QuestionState.Closed ? openedAt?.AddSeconds(10) : null,
        };
        quizEvent.Questions.Add(question);
        db.Events.Add(quizEvent);
        await db.SaveChangesAsync();
        return question.Id;
    }

    async Task<(int EventId, int QuestionId)> SeedQuestionAsync(string code, string? channel, int? channelMessageId, QuestionState state = QuestionState.Open)
    {
        await using var db = Db();
        var quizEvent = new QuizEvent { Name = "Code Week", CreatedAt = _past, ChannelId = channel };
        var question = new Question
        {
            Prompt = "?", Code = code, Position = 1, AcceptedAnswers = ["go"], ChannelMessageId = channelMessageId,
            State = state, OpenedAt = state == QuestionState.Draft ? null : _past,
        };
        quizEvent.Questions.Add(question);
        db.Events.Add(quizEvent);
        await db.SaveChangesAsync();
        return (quizEvent.Id, question.Id);
    }

    async Task AddAsync(IEnumerable<OutboxMessage> messages)
    {
        await using var db = Db();
        db.OutboxMessages.AddRange(messages);
        await db.SaveChangesAsync();
    }

    OutboxMessage Reply(string chat, string text = "hi") => new()
    {
        Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.Reply, Priority = OutboxMessage.NormalPriority,
        ChatId = chat, Text = text, CreatedAt = _past, NotBefore = _past,
    };

    /// <summary>What the sender tells the batch writer: that the events changed and are to be read again.</summary>
    readonly WriterNotice _writer = new();

    /// <summary>What the sender tells console pages open on an event.</summary>
    readonly CatalogChanges _changes = new();

    const string group = "-4518810793", supergroup = "-1001557912345";

    /// <summary>An event whose channel is a group Telegram has made a supergroup, with its question's post waiting to go.</summary>
    async Task<(int EventId, int QuestionId, BotApi Api, Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock, OutboxSender Sender)>
        AQuestionPostForAGroupThatBecameASupergroupAsync(string code)
    {
        var (eventId, questionId) = await SeedQuestionAsync(code, channel: group, channelMessageId: null);
        var announcement = ChannelPost();
        announcement.ChatId = group;
        announcement.QuestionId = questionId;
        await AddAsync([announcement]);
        var api = new BotApi();
        api.Upgraded[group] = long.Parse(supergroup);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        return (eventId, questionId, api, clock, Sender(api, clock));
    }

    OutboxSender Sender(BotApi api, TimeProvider? time = null, int messagesPerSecond = 30, OutboxCounters? counters = null, Databases? databases = null,
        double perChatIntervalSeconds = 1, int callTimeoutSeconds = 10) => new(databases ?? new Databases(_options),
        new TelegramBotClient(new TelegramBotClientOptions("123456:outbox-test") { RetryThreshold = 0 }, new HttpClient(api)),
        counters ?? new OutboxCounters(), BotAdoption.Done(), new DurableLog(), _writer, _changes, time ?? TimeProvider.System,
        Options.Create(new OutboxOptions { MessagesPerSecond = messagesPerSecond, PerChatIntervalSeconds = perChatIntervalSeconds, CallTimeoutSeconds = callTimeoutSeconds }),
        new Started(), NullLogger<OutboxSender>.Instance);

    OutboxMessage ButtonAnswer(string queryId) => new()
    {
        Method = OutboxMethod.AnswerCallbackQuery, Purpose = OutboxPurpose.CallbackAnswer, Priority = OutboxMessage.UrgentPriority,
        ChatId = "500", CallbackQueryId = queryId, Text = "Recorded", CreatedAt = _past, NotBefore = _past,
    };

    OutboxMessage ChannelPost(string text = "Question 1") => new()
    {
        Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.ChannelAnnouncement, Priority = OutboxMessage.UrgentPriority,
        ChatId = "@codeweek", Text = text, CreatedAt = _past, NotBefore = _past,
    };

    sealed class Databases(DbContextOptions<SqliteQuizDbContext> options) : IDbContextFactory<QuizDbContext>
    {
        public List<QuizDbContext> Created { get; } = [];

        public QuizDbContext CreateDbContext()
        {
            var db = new SqliteQuizDbContext(options);
            Created.Add(db);
            return db;
        }
    }

    static bool IsDisposed(DbContext db)
    {
        try
        {
            _ = db.Model;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>
    /// The batch writer as the sender sees it: it is only ever told that the events changed. The rest of the lifecycle
    /// goes through the ingest queue, which these tests do not run.
    /// </summary>
    sealed class WriterNotice : IQuizLifecycle
    {
        public int CatalogChanges;

        public void CatalogChanged() => Interlocked.Increment(ref CatalogChanges);

        public Task<Question> OpenAsync(int questionId, bool onlyIfNoneOpen = false, CancellationToken cancellationToken = default) => throw NotThroughTheSender();
        public Task<Question> CloseAsync(int questionId, CancellationToken cancellationToken = default) => throw NotThroughTheSender();
        public Task<Question> ReopenAsync(int questionId, CancellationToken cancellationToken = default) => throw NotThroughTheSender();
        public Task<Question> WithdrawAsync(int questionId, CancellationToken cancellationToken = default) => throw NotThroughTheSender();
        public Task<EventStartedOver> StartOverAsync(int eventId, CancellationToken cancellationToken = default) => throw NotThroughTheSender();
        public Task<Question> ExtendAsync(int questionId, int seconds, int? expectedExtraSeconds = null, CancellationToken cancellationToken = default) => throw NotThroughTheSender();
        public Task<RankingChange?> LeaveOutAsync(long participantId, bool leaveOut, CancellationToken cancellationToken = default) => throw NotThroughTheSender();

        static NotSupportedException NotThroughTheSender() => new("The outbox sender only tells the writer that the events changed.");
    }

    sealed class Started : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true); // started already
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    /// <summary>Answers every call as Telegram would (or with <see cref="Status"/>) and records it.</summary>
    sealed class BotApi : HttpMessageHandler
    {
        public readonly ConcurrentQueue<(string Method, string Chat, string? Text)> Calls = new();
        /// <summary>The chats whose calls carried buttons.</summary>
        public readonly ConcurrentDictionary<string, bool> Keyboards = new();
        public Func<string, Task>? OnCall;
        /// <summary>Chats whose calls are never answered: they end only when the sender gives them up.</summary>
        public Func<string, bool>? Hang;
        /// <summary>How long Telegram takes to answer a chat's call, unless the sender gives it up first.</summary>
        public Func<string, TimeSpan>? Slow;
        public HttpStatusCode Status = HttpStatusCode.OK;
        /// <summary>A refusal for some calls: (method, chat) → (error code, description, retry_after), or null to answer as usual.</summary>
        public Func<string, string, (int Code, string Description, int? RetryAfter)?>? Refuse;
        /// <summary>The body of a 200 for some calls: (method, chat) → body, or null to answer as usual.</summary>
        public Func<string, string, string?>? Answer;
        /// <summary>Groups that became supergroups (old id → new id): every call naming the old id is refused as Telegram refuses it.</summary>
        public readonly Dictionary<string, long> Upgraded = [];
        int _messageId = 1000;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var method = request.RequestUri!.Segments[^1];
            using var json = JsonDocument.Parse(request.Content is null ? "{}" : await request.Content.ReadAsStringAsync(cancellationToken));
            var chat = json.RootElement.TryGetProperty("chat_id", out var c) ? c.ToString()
                : json.RootElement.TryGetProperty("callback_query_id", out var q) ? q.ToString() : "";
            Calls.Enqueue((method, chat, json.RootElement.TryGetProperty("text", out var t) ? t.GetString() : null));
            if (json.RootElement.TryGetProperty("reply_markup", out _)) Keyboards[chat] = true;
            if (OnCall is not null) await OnCall(chat);
            if (Hang?.Invoke(chat) == true) await Task.Delay(Timeout.Infinite, cancellationToken);
            if (Slow?.Invoke(chat) is { } slow) await Task.Delay(slow, cancellationToken);
            if (Upgraded.TryGetValue(chat, out var supergroup))
                return new HttpResponseMessage(HttpStatusCode.BadRequest)
                {
                    Content = new StringContent($$$"""{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":{{{supergroup}}}}}""",
                        Encoding.UTF8, "application/json"),
                };
            if (Refuse?.Invoke(method, chat) is var (code, description, retryAfter))
            {
                var parameters = retryAfter is { } seconds ? $$""","parameters":{"retry_after":{{seconds}}}""" : "";
                return new HttpResponseMessage((HttpStatusCode)code)
                {
                    Content = new StringContent($$"""{"ok":false,"error_code":{{code}},"description":"{{description}}"{{parameters}}}""", Encoding.UTF8, "application/json"),
                };
            }
            var body = Status == HttpStatusCode.OK && Answer?.Invoke(method, chat) is { } answer ? answer
                : Status != HttpStatusCode.OK
                ? $$"""{"ok":false,"error_code":{{(int)Status}},"description":"Bad Gateway"}"""
                : method.Equals("answerCallbackQuery", StringComparison.OrdinalIgnoreCase) ? """{"ok":true,"result":true}"""
                : $$$"""{"ok":true,"result":{"message_id":{{{Interlocked.Increment(ref _messageId)}}},"date":0,"chat":{"id":1,"type":"private"},"text":"x"}}""";
            return new HttpResponseMessage(Status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
