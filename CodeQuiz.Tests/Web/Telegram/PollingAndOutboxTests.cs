using System.Collections.Concurrent;
using System.Text.Json;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CodeQuiz.Tests.Web.Telegram;

/// <summary>
/// CodeQuiz in Polling mode against the rehearsal simulator (on real time, with Telegram's flood limits
/// made tight), so that updates come through getUpdates and the outbox meets 429s.
/// </summary>
public class PollingAndOutboxTests : IAsyncLifetime
{
    WebApplication _simulatorApp = null!;
    TelegramSimulator _simulator = null!;
    readonly CodeQuizFactory _factory = new();
    readonly ConcurrentQueue<(DateTimeOffset Start, DateTimeOffset End, string Method, int Status, int? RetryAfter)> _calls = new();
    readonly Recorder.Hang _hang = new();
    readonly FailingDisk _disk = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<RehearsalOptions>().Configure(o =>
        {
            o.CrowdSize = 0;
            o.CrowdAutoStart = false;
            o.RateLimits.MessagesPerSecond = 5;
            o.RateLimits.Burst = 5;
            o.RateLimits.PerChatPerSecond = 100;
            o.RateLimits.PerChatBurst = 100;
            o.RateLimits.ChannelMessagesPerMinute = 6000;
            o.RateLimits.ChannelBurst = 100;
        });
        builder.Services.AddSingleton<TelegramSimulator>();
        _simulatorApp = builder.Build();
        _simulatorApp.MapBotApi();
        await _simulatorApp.StartAsync();
        _simulator = _simulatorApp.Services.GetRequiredService<TelegramSimulator>();
        _simulator.RegisterChannel("@codeweek", "Code Week");

        _factory.Settings["Telegram:Mode"] = "Polling";
        _factory.Settings["Telegram:BotToken"] = TelegramOptions.RehearsalToken;
        _factory.Settings["Telegram:ApiBaseUrl"] = "http://simulator";
        // Faster than the simulated Telegram allows, so 429s come and must be honoured.
        _factory.Settings["Outbox:MessagesPerSecond"] = "1000";
        _factory.Settings["Outbox:PerChatIntervalSeconds"] = "0";
        // Short polls, and a short allowance beyond them, so that a poll on a dead connection is given up in 3 s.
        _factory.Settings["Telegram:LongPollSeconds"] = "1";
        _factory.Settings["Outbox:CallTimeoutSeconds"] = "2";
        var server = _simulatorApp.GetTestServer();
        _factory.ConfigureServices = services =>
        {
            services.AddHttpClient("telegram")
                .ConfigurePrimaryHttpMessageHandler(() => new Recorder(_calls, _hang) { InnerHandler = server.CreateHandler() });
            services.Replace(ServiceDescriptor.Singleton<WalDisk>(_disk));
        };
        _ = _factory.Server;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _simulatorApp.StopAsync();
        await _simulatorApp.DisposeAsync();
    }

    [Fact]
    public async Task UpdatesArriveThroughGetUpdatesAndEveryReplyIsDeliveredDespite429s()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("PollQ00001", "go"));
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var users = Enumerable.Range(1, 25).Select(i => new SimUser(8_000_000 + i, $"Player{i}")).ToList();

        foreach (var user in users) _simulator.SendText(user, "/start PollQ00001");
        foreach (var user in users) _simulator.SendText(user, "go");

        await _simulator.WaitUntilAsync(() => users.All(u => _simulator.BotMessages(u.Id).Count >= 2), TimeSpan.FromSeconds(60));
        await using (var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(users.Count, await db.Answers.CountAsync(a => a.IsCorrect));
            Assert.Equal(users.Count * 2, await db.ProcessedUpdates.CountAsync());
        }
        Assert.Contains(_simulator.BotMessages("@codeweek"), m => m.Text?.Contains("PollQ00001") == true);

        var calls = _calls.ToList();
        Assert.Contains(calls, c => c.Method == "getUpdates" && c.Status == 200);
        var limited = calls.Where(c => c.Status == 429).ToList();
        Assert.NotEmpty(limited);
        foreach (var refusal in limited)
        {
            // Once a 429 has arrived, the whole bot starts no message until retry_after has passed.
            var resume = refusal.End.AddSeconds(refusal.RetryAfter!.Value).AddMilliseconds(-100);
            Assert.DoesNotContain(calls, c => c.Method is "sendMessage" or "editMessageText" && c.Start > refusal.End.AddMilliseconds(100) && c.Start < resume);
        }
    }

    [Fact]
    public async Task EveryoneGetsTheWholePromptAndKeyboardThoughOnlyTheFirstRowCarriesThemAndTheRestNameOneSharedBody()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.Choice("PollShare1", 1, "golang", "rust", "zig"));
        await _factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var users = Enumerable.Range(1, 4).Select(i => new SimUser(8_100_000 + i, $"Player{i}")).ToList();

        foreach (var user in users) _simulator.SendText(user, "/start PollShare1");

        await _simulator.WaitUntilAsync(() => users.All(u => _simulator.BotMessages(u.Id).Count >= 1), TimeSpan.FromSeconds(60));
        var prompts = users.Select(u => Assert.Single(_simulator.BotMessages(u.Id))).ToList();
        Assert.Contains("rust", prompts[0].Text);
        Assert.Equal(["golang", "rust", "zig"], prompts[0].Buttons.Select(b => b.Text[(b.Text.IndexOf(' ') + 1)..]));
        static string Shown(SimMessage m) => m.Text + string.Concat(m.Buttons.Select(b => $"\n[{b.Text} → {b.CallbackData}]"));
        Assert.All(prompts, p => Assert.Equal(Shown(prompts[0]), Shown(p)));

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var rows = await db.OutboxMessages.Where(m => m.Purpose == OutboxPurpose.Reply).OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(users.Select(u => u.Id.ToString()), rows.Select(r => r.ChatId));
        Assert.Equal((true, true, (long?)null), (rows[0].Text is not null, rows[0].ReplyMarkupJson is not null, rows[0].BodyId));
        var body = Assert.Single(await db.OutboxBodies.ToListAsync());
        Assert.All(rows[1..], r => Assert.Equal(((string?)null, (string?)null, (long?)body.Id), (r.Text, r.ReplyMarkupJson, r.BodyId)));
        Assert.Equal((rows[0].Text, rows[0].ReplyMarkupJson), (body.Text, body.ReplyMarkupJson));
    }

    [Fact]
    public async Task AMessageToAUserWhoBlockedTheBotIsMarkedFailedAndNotRetried()
    {
        var blocker = new SimUser(8_100_000, "Blocker");
        var other = new SimUser(8_100_001, "Other");
        _simulator.SendText(blocker, "/help");
        await _simulator.WaitUntilAsync(() => _simulator.BotMessages(blocker.Id).Count == 1, TimeSpan.FromSeconds(30));
        _simulator.Block(blocker);

        _simulator.SendText(blocker, "/help");
        _simulator.SendText(other, "/help");
        await _simulator.WaitUntilAsync(() => _simulator.BotMessages(other.Id).Count == 1, TimeSpan.FromSeconds(30));

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        OutboxMessage? failed;
        while ((failed = await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.ChatId == blocker.Id.ToString() && m.Status == OutboxStatus.Failed)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the message to the blocked chat was not marked failed");
            await Task.Delay(100);
        }
        Assert.Equal(1, failed.Attempts);
        Assert.StartsWith("403", failed.LastError);
        Assert.Single(_calls, c => c.Status == 403);
    }

    [Fact]
    public async Task APollOnADeadConnectionIsGivenUpAndTheUpdatesComeWithTheNextOne()
    {
        var player = new SimUser(8_200_000, "Patient");
        await _simulator.WaitUntilAsync(() => _calls.Any(c => c.Method == "getUpdates" && c.Status == 200), TimeSpan.FromSeconds(30));

        // The next getUpdates gets no answer at all, as on a connection that went dead: the HTTP client alone waits 60 s.
        _hang.Next = true;
        await _simulator.WaitUntilAsync(() => _hang.Started is not null, TimeSpan.FromSeconds(10));
        _simulator.SendText(player, "/help");

        var reply = Task.Run(() => _simulator.WaitUntilAsync(() => _simulator.BotMessages(player.Id).Count == 1, TimeSpan.FromSeconds(30)));
        await Task.WhenAny(reply, Task.Delay(TimeSpan.FromSeconds(30)));
        var waited = DateTimeOffset.UtcNow - _hang.Started!.Value;
        Assert.True(reply.IsCompletedSuccessfully, $"no reply {waited.TotalSeconds:F0} s after the poll hung");
        Assert.True(waited < TimeSpan.FromSeconds(15), $"the reply came {waited.TotalSeconds:F1} s after the poll hung");
        Assert.True(_hang.Cancelled, "the hung poll was never given up");

        // The hung poll shows on the status page; the updates behind it were read with the same offset.
        var status = _factory.Services.GetRequiredService<CodeQuiz.Web.Telegram.BotStatus>();
        Assert.Equal("Polling Telegram failed: Telegram did not answer getUpdates within 3 s.", status.LastError);
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.ProcessedUpdates.CountAsync());
    }

    [Fact]
    public async Task WhileGetUpdatesFailsTheConsoleSaysTelegramIsOutOfReachAndPollsKeepComingAtLeastEvery10Seconds()
    {
        var player = new SimUser(8_300_000, "Patient");
        var counters = _factory.Services.GetRequiredService<CodeQuiz.Core.Outbox.OutboxCounters>();
        await _simulator.WaitUntilAsync(() => _calls.Any(c => c.Method == "getUpdates" && c.Status == 200), TimeSpan.FromSeconds(30));

        _hang.Down = true;
        await _simulator.WaitUntilAsync(() => counters.Outage.Current is not null, TimeSpan.FromSeconds(10));
        Assert.Contains("Bad Gateway", counters.Outage.Current!.LastError);
        // 1, 2, 4, 8, then 10 s between polls: after 1 + 2 + 4 + 8 s down, the next poll comes 10 s later, not 16.
        await Task.Delay(TimeSpan.FromSeconds(16));
        _simulator.SendText(player, "/help");
        _hang.Down = false;
        var back = DateTimeOffset.UtcNow;

        await _simulator.WaitUntilAsync(() => _simulator.BotMessages(player.Id).Count == 1, TimeSpan.FromSeconds(30));
        var waited = DateTimeOffset.UtcNow - back;
        Assert.True(waited < TimeSpan.FromSeconds(13.5), $"updates came {waited.TotalSeconds:F1} s after Telegram was back");
        Assert.Null(counters.Outage.Current);
    }

    [Fact]
    public async Task WhileTelegramFailsEveryReplyPollsItAnswersDoNotEndTheOutageTheConsoleShows()
    {
        var player = new SimUser(8_350_000, "Unanswered");
        var counters = _factory.Services.GetRequiredService<OutboxCounters>();
        await _simulator.WaitUntilAsync(() => _calls.Any(c => c.Method == "getUpdates" && c.Status == 200), TimeSpan.FromSeconds(30));

        _hang.SendsDown = true;
        _simulator.SendText(player, "/help");
        await _simulator.WaitUntilAsync(() => counters.Outage.Current is not null, TimeSpan.FromSeconds(10));
        var since = counters.Outage.Current!.Since;
        // Telegram answers the polls meanwhile (one a second, as no update waits), while the reply keeps failing.
        var polls = _calls.Count(c => c.Method == "getUpdates" && c.Status == 200);
        var ended = false;
        var until = DateTime.UtcNow.AddSeconds(20);
        while (_calls.Count(c => c.Method == "getUpdates" && c.Status == 200) < polls + 4 && DateTime.UtcNow < until)
        {
            ended |= counters.Outage.Current?.Since != since;
            await Task.Delay(10);
        }

        Assert.True(_calls.Count(c => c.Method == "getUpdates" && c.Status == 200) >= polls + 4, "polls stopped");
        Assert.False(ended, "a poll ended the outage the reply still met");
        _hang.SendsDown = false;
        await _simulator.WaitUntilAsync(() => _simulator.BotMessages(player.Id).Count == 1, TimeSpan.FromSeconds(30));
        await _simulator.WaitUntilAsync(() => counters.Outage.Current is null, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WhileUpdatesCannotBeStoredTheConsoleBlamesStorageNotTelegramAndTheyAreFetchedAgain()
    {
        var player = new SimUser(8_400_000, "Stored");
        var counters = _factory.Services.GetRequiredService<OutboxCounters>();
        var live = _factory.Services.GetRequiredService<CodeQuiz.Core.Live.LiveStats>();
        await _simulator.WaitUntilAsync(() => _calls.Any(c => c.Method == "getUpdates" && c.Status == 200), TimeSpan.FromSeconds(30));

        // A flush of the write-ahead log fails: from then on nothing is stored until a restart.
        _disk.Fail = true;
        _simulator.SendText(player, "/help");
        await _simulator.WaitUntilAsync(() => live.Storage.Current is not null, TimeSpan.FromSeconds(10));
        var polls = _calls.Count(c => c.Method == "getUpdates");
        var blamedTelegram = false;
        var until = DateTime.UtcNow.AddSeconds(20);
        while (_calls.Count(c => c.Method == "getUpdates") < polls + 3 && DateTime.UtcNow < until)
        {
            blamedTelegram |= counters.Outage.Current is not null;
            await Task.Delay(20);
        }

        // Telegram answered every poll: the console says storage is at fault, and only that.
        Assert.True(_calls.Count(c => c.Method == "getUpdates") >= polls + 3, "the same updates were not fetched again");
        Assert.False(blamedTelegram, "the console said Telegram could not be reached");
        Assert.Null(_factory.Services.GetRequiredService<CodeQuiz.Web.Telegram.BotStatus>().LastError);
    }

    /// <summary>A rule the database enforces that every reply to <paramref name="chatId"/> breaks.</summary>
    async Task RefuseRepliesToAsync(long chatId)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TRIGGER Poison BEFORE INSERT ON OutboxMessages WHEN NEW.ChatId = '{chatId}' " +
            "BEGIN SELECT RAISE(ABORT, 'the reply breaks a rule'); END";
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task ABatchRolledBackAfterItSharedAReplysTextLeavesNoRowNamingATextThatWasNotStored()
    {
        await RefuseRepliesToAsync(8_400_666);
        // Everyone gets the same help: the batch shares its text from the second reply on, then the poison rolls it back.
        var users = Enumerable.Range(1, 30).Select(i => new SimUser(8_400_000 + i, $"P{i}")).ToList();
        foreach (var user in users[..20]) _simulator.SendText(user, "/help");
        _simulator.SendText(new SimUser(8_400_666, "Poison"), "/help");
        foreach (var user in users[20..]) _simulator.SendText(user, "/help");

        var dbFactory = _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            if (await db.OutboxMessages.CountAsync(m => m.ChatId.StartsWith("84")) == users.Count) break;
            Assert.True(DateTime.UtcNow < until, "the replies were not all stored");
            await Task.Delay(100);
        }
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            Assert.Single(await db.DeadLetters.ToListAsync());
            var rows = await db.OutboxMessages.Where(m => m.ChatId.StartsWith("84")).ToListAsync();
            Assert.Contains(rows, r => r.BodyId is not null);
            var help = await db.TextAsync(rows[0]);
            foreach (var row in rows)
                Assert.Equal(help, await db.TextAsync(row)); // fails for a row naming a body the rolled-back transaction wrote
        }
    }

    [Fact]
    public async Task AnUpdateStorageRefusesForWhatItHoldsIsKeptAsADeadLetterAndPollingGoesOn()
    {
        // A rule the database enforces that one update's reply breaks: storage refuses that update each time it comes.
        await RefuseRepliesToAsync(8_300_666);

        var poison = _simulator.SendText(new SimUser(8_300_666, "Poison"), "/help");
        // More than a page of getUpdates after it: a page that never got past it would never reach the last ones.
        var after = Enumerable.Range(1, 120).Select(i => _simulator.SendText(new SimUser(8_300_000 + i, $"P{i}"), "/help").Id).ToList();

        var dbFactory = _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var stored = await db.ProcessedUpdates.Where(p => p.UpdateId >= poison.Id).Select(p => p.UpdateId).ToListAsync();
            if (stored.Count == after.Count + 1) break;
            Assert.True(DateTime.UtcNow < until, $"{stored.Count} of {after.Count + 1} updates stored; the refused update {(stored.Contains(poison.Id) ? "was" : "was not")} among them");
            await Task.Delay(100);
        }
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var kept = Assert.Single(await db.DeadLetters.ToListAsync());
            Assert.Contains("the reply breaks a rule", kept.Reason);
            Assert.Contains("8300666", kept.Body);
            Assert.Equal(after.Count, await db.OutboxMessages.CountAsync(m => m.ChatId.StartsWith("83")));
        }
    }

    [Fact]
    public async Task AnUpdateOfAShapeTelegramBotCannotReadIsKeptAsADeadLetterAndTheUpdatesAfterItArrive()
    {
        // Telegram hands out an update whose message the library cannot read (a shape of a newer Bot API, say):
        // the whole getUpdates page fails to parse.
        _hang.UnreadableFrom = 8_500_666;
        var odd = _simulator.SendText(new SimUser(8_500_666, "Odd"), "/help");
        // More than a page after it: a page that never got past it would never reach the last ones.
        var after = Enumerable.Range(1, 120).Select(i => _simulator.SendText(new SimUser(8_500_000 + i, $"P{i}"), "/help").Id).ToList();

        var dbFactory = _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var stored = await db.ProcessedUpdates.CountAsync(p => p.UpdateId > odd.Id);
            if (stored == after.Count) break;
            Assert.True(DateTime.UtcNow < until, $"{stored} of the {after.Count} updates after the unreadable one were stored");
            await Task.Delay(100);
        }
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var kept = Assert.Single(await db.DeadLetters.ToListAsync());
            Assert.StartsWith("not a Telegram update", kept.Reason);
            Assert.Contains($"\"update_id\":{odd.Id}", kept.Body);
            Assert.Contains("8500666", kept.Body);
            Assert.Equal(after.Count, await db.OutboxMessages.CountAsync(m => m.ChatId.StartsWith("85")));
        }
        Assert.Null(_factory.Services.GetRequiredService<CodeQuiz.Web.Telegram.BotStatus>().LastError);
    }

    /// <summary>A disk whose flushes of the write-ahead log fail once <see cref="Fail"/> is set.</summary>
    sealed class FailingDisk : WalDisk
    {
        public volatile bool Fail;

        public override void Flush(FileStream log)
        {
            if (Fail) throw new IOException("Input/output error");
            base.Flush(log);
        }
    }

    /// <summary>Notes every Bot API call CodeQuiz makes: when, which method, the answer.</summary>
    sealed class Recorder(ConcurrentQueue<(DateTimeOffset, DateTimeOffset, string, int, int?)> calls, Recorder.Hang hang) : DelegatingHandler
    {
        /// <summary>Set <see cref="Next"/> and the next getUpdates never answers; it ends only when CodeQuiz gives it up.</summary>
        public sealed class Hang
        {
            public volatile bool Next, Cancelled;
            public DateTimeOffset? Started;

            /// <summary>While set, every getUpdates is answered 502, as while Telegram is down.</summary>
            public volatile bool Down;

            /// <summary>While set, every sendMessage is answered 502, and getUpdates as usual.</summary>
            public volatile bool SendsDown;

            /// <summary>Messages from this user come in getUpdates with a chat that is no chat, which Telegram.Bot cannot read.</summary>
            public long? UnreadableFrom;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var start = DateTimeOffset.UtcNow;
            if (request.RequestUri!.Segments[^1] == "getUpdates" && hang.Next)
            {
                hang.Next = false;
                hang.Started = start;
                try { await Task.Delay(Timeout.Infinite, cancellationToken); }
                catch (OperationCanceledException) { hang.Cancelled = true; throw; }
            }
            if (request.RequestUri!.Segments[^1] is var method && (method == "getUpdates" && hang.Down || method == "sendMessage" && hang.SendsDown))
            {
                calls.Enqueue((start, DateTimeOffset.UtcNow, method, 502, null));
                return new HttpResponseMessage(System.Net.HttpStatusCode.BadGateway)
                {
                    Content = new StringContent("""{"ok":false,"error_code":502,"description":"Bad Gateway"}""", System.Text.Encoding.UTF8, "application/json"),
                };
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.Segments[^1] == "getUpdates" && hang.UnreadableFrom is { } odd && response.IsSuccessStatusCode)
                response.Content = await SpoilAsync(response.Content, odd, cancellationToken);
            int? retryAfter = null;
            if ((int)response.StatusCode == 429)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                retryAfter = body.RootElement.GetProperty("parameters").GetProperty("retry_after").GetInt32();
            }
            calls.Enqueue((start, DateTimeOffset.UtcNow, request.RequestUri!.Segments[^1], (int)response.StatusCode, retryAfter));
            return response;
        }

        static async Task<HttpContent> SpoilAsync(HttpContent content, long userId, CancellationToken cancellationToken)
        {
            var page = System.Text.Json.Nodes.JsonNode.Parse(await content.ReadAsStringAsync(cancellationToken))!;
            foreach (var update in page["result"]!.AsArray())
                if (update?["message"]?["from"]?["id"]?.GetValue<long>() == userId)
                    update["message"]!["chat"] = "a chat of a shape not known yet";
            return new StringContent(page.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }
    }
}
