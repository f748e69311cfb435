using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The real server as a child process in Webhook mode against <see cref="FakeBotApi"/>, a SQLite file of its own,
/// and a webhook load like Telegram's: concurrent posts with unique update ids, each sent again until it gets a 200.
/// Each virtual participant types the code of question 1, answers it, then does the same for question 2.
/// Made with polling: true, the server polls the fake Telegram instead, which hands out the load queued there
/// (<see cref="QueuePollingLoad"/>); an update counts as acknowledged once the server asked for an offset past it.
/// </summary>
sealed class LoadRig : IAsyncDisposable
{
    public const string Secret = "crash-test_secret-0123456789";
    public const string BotToken = "7000000001:CRASHtestTOKENdistinctive_abcdefXYZ";
    public const string Channel = "@codeweek_crash";
    public const string Code1 = "CRASHQ1", Code2 = "CRASHQ2";
    public const long FirstUser = 10_000_001;

    readonly string _directory = Directory.CreateTempSubdirectory("codequiz-crash-").FullName;
    readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    { Timeout = TimeSpan.FromSeconds(40) };
    int _nextUpdateId = 700_000_000;
    volatile Uri? _address;

    public FakeBotApi Telegram { get; private set; } = null!;
    public ServerProcess? Server { get; private set; }
    public string DatabasePath => Path.Combine(_directory, "codequiz.db");
    string ConnectionString => $"Data Source={DatabasePath};Pooling=False";

    /// <summary>update_id → the participant's step, for every update created so far.</summary>
    public ConcurrentDictionary<long, (long User, int Step)> Updates { get; } = new();
    public ConcurrentDictionary<long, bool> Acknowledged { get; } = new();
    public ConcurrentQueue<string> UnexpectedResponses { get; } = new();
    public int Refused; // 503s and refused connections, sent again later
    public int Starts, Kills;
    public int Question1Id, Question2Id;

    /// <summary>The server polls getUpdates (Telegram:Mode=Polling) rather than taking webhook posts.</summary>
    public bool Polling { get; private init; }

    public static async Task<LoadRig> CreateAsync(bool polling = false)
    {
        var rig = new LoadRig { Telegram = await FakeBotApi.StartAsync(), Polling = polling };
        await rig.SeedAsync();
        return rig;
    }

    SqliteQuizDbContext Db() => new(new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite(ConnectionString).Options);

    async Task SeedAsync()
    {
        await using var db = Db();
        await db.Database.MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var ev = new QuizEvent { Name = "Crash test", ChannelId = Channel, CreatedAt = now };
        var q1 = new Question { Prompt = "Which language has goroutines?", Kind = QuestionKind.FreeText, AcceptedAnswers = ["go"], Code = Code1, Position = 1, State = QuestionState.Open, OpenedAt = now, ChannelMessageId = 501 };
        var q2 = new Question { Prompt = "Which loop prints 3 times?", Kind = QuestionKind.FreeText, AcceptedAnswers = ["for"], Code = Code2, Position = 2, State = QuestionState.Open, OpenedAt = now, TimeLimitSeconds = 3600, ChannelMessageId = 502 };
        ev.Questions.AddRange([q1, q2]);
        db.Events.Add(ev);
        await db.SaveChangesAsync();
        (Question1Id, Question2Id) = (q1.Id, q2.Id);
    }

    /// <summary>While the server is down: make question 2's time limit run out, so the next start closes it at once.</summary>
    public async Task ExpireQuestion2Async()
    {
        Assert.True(Server is null || Server.HasExited);
        await using var db = Db();
        var q2 = await db.Questions.SingleAsync(q => q.Id == Question2Id);
        q2.OpenedAt = DateTimeOffset.UtcNow.AddHours(-2);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Done once the server last started answers /healthz. Its outbox starts sending before that, so a test that kills it
    /// in a Bot API call waits for this first: a server killed while still starting would fail the start, not the test.
    /// </summary>
    public Task Ready => _ready.Task;

    TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<ServerProcess> StartServerAsync()
    {
        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={DatabasePath}",
            ["Telegram:BotToken"] = BotToken,
            ["Telegram:ApiBaseUrl"] = Telegram.BaseUrl,
            ["Outbox:MessagesPerSecond"] = "1000",
            ["Outbox:PerChatIntervalSeconds"] = "0",
            ["Outbox:ChannelCountIntervalSeconds"] = "1",
        };
        if (Polling)
            settings["Telegram:Mode"] = "Polling";
        else
        {
            settings["Telegram:Mode"] = "Webhook";
            settings["Telegram:WebhookUrl"] = "https://quiz.example.org/telegram/webhook";
            settings["Telegram:SecretToken"] = Secret;
        }
        Server = ServerProcess.Start(_directory, settings);
        _address = await Server.WaitReadyAsync(TimeSpan.FromSeconds(90));
        Starts++;
        _ready.TrySetResult();
        return Server;
    }

    public async Task KillAsync()
    {
        var server = Server!;
        _address = null;
        server.Kill();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Kills++;
    }

    /// <summary>Every participant's four updates, <paramref name="concurrency"/> participants at a time.</summary>
    public Task RunLoadAsync(int participants, int concurrency, CancellationToken cancellationToken)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < participants)
            {
                var user = FirstUser + i;
                string[] steps = [Code1, i % 3 == 0 ? "Go" : "python", Code2, i % 2 == 0 ? "for" : "while"];
                for (var step = 0; step < steps.Length; step++)
                    await PostUntilAcknowledgedAsync(NewUpdate(user, step, steps[step]), cancellationToken);
            }
        }, cancellationToken)));
    }

    /// <summary>
    /// The polling load, queued at the fake Telegram at once as updates wait there for getUpdates: 50 participants at a
    /// time, each opens question 1 with /start and its code, answers it, types question 2's code and answers it, and every
    /// fifth then presses a button of its answered question 1 again; the 50 do each step in turn, so a page holds many
    /// people's updates and each person's stay in their order. Returns the last update id.
    /// </summary>
    public long QueuePollingLoad(int participants)
    {
        const int group = 50;
        var updates = new List<Update>();
        for (var first = 0; first < participants; first += group)
            for (var step = 0; step < 5; step++)
                for (var i = first; i < Math.Min(first + group, participants); i++)
                {
                    var user = FirstUser + i;
                    if (step == 4 && i % 5 != 0) continue;
                    updates.Add(step switch
                    {
                        0 => NewUpdate(user, step, "/start " + Code1),
                        1 => NewUpdate(user, step, i % 3 == 0 ? "Go" : "python"),
                        2 => NewUpdate(user, step, Code2),
                        3 => NewUpdate(user, step, i % 2 == 0 ? "for" : "while"),
                        _ => NewButtonPress(user, step, CodeQuiz.Core.Bot.BotConversation.AnsweredCallbackPrefix + Code1),
                    });
                }
        Telegram.QueueUpdates(updates.Select(u => ((long)u.Id, JsonSerializer.SerializeToNode(u, JsonBotAPI.Options)!)));
        return updates[^1].Id;
    }

    Update NewUpdate(long user, int step, string text)
    {
        var id = Interlocked.Increment(ref _nextUpdateId);
        Updates[id] = (user, step);
        return new Update { Id = id, Message = NewMessage(id, user, text) };
    }

    /// <summary>A press on a button under a message the bot sent the participant.</summary>
    Update NewButtonPress(long user, int step, string data)
    {
        var id = Interlocked.Increment(ref _nextUpdateId);
        Updates[id] = (user, step);
        var shown = NewMessage(id, user, "question");
        shown.From = new User { Id = 123456, IsBot = true, FirstName = "Quiz", Username = "codequiz_fake_bot" };
        return new Update
        {
            Id = id,
            CallbackQuery = new CallbackQuery
            {
                Id = "cb" + id,
                From = new User { Id = user, FirstName = "P" + user, LanguageCode = "en" },
                Message = shown,
                ChatInstance = "ci" + user,
                Data = data,
            },
        };
    }

    static Message NewMessage(long id, long user, string text) => new()
    {
        Id = (int)(id % 1_000_000),
        Date = DateTime.UtcNow,
        Chat = new Chat { Id = user, Type = ChatType.Private, FirstName = "P" + user },
        From = new User { Id = user, FirstName = "P" + user, LanguageCode = "en" },
        Text = text,
    };

    /// <summary>Like Telegram: anything but a 200 (or no answer at all) means the update is sent again.</summary>
    async Task PostUntilAcknowledgedAsync(Update update, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(update, JsonBotAPI.Options);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_address is { } address)
            {
                try
                {
                    using var content = new StringContent(json, Encoding.UTF8);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/telegram/webhook")) { Content = content };
                    request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
                    using var response = await _http.SendAsync(request, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Acknowledged[update.Id] = true;
                        return;
                    }
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                        UnexpectedResponses.Enqueue($"update {update.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            }
            Interlocked.Increment(ref Refused);
            await Task.Delay(Random.Shared.Next(20, 80), cancellationToken);
        }
    }

    public async Task WaitUntilAcknowledgedAsync(int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Acknowledged.Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Only {Acknowledged.Count} of {count} updates were acknowledged.\n{Server?.Output}\n{Server?.Errors}");
            await Task.Delay(10);
        }
    }

    /// <summary>Polling: until the server asked getUpdates for an offset past <paramref name="updateId"/>, so took it.</summary>
    public async Task WaitUntilConfirmedAsync(long updateId, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Telegram.HighestOffset <= updateId)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"The server confirmed updates up to offset {Telegram.HighestOffset}, not past {updateId}.\n{Server?.Output}\n{Server?.Errors}");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Polling: how many updates the server confirmed to Telegram (an offset past them asked for), how many the database
    /// holds, and how many of the confirmed ones it does not hold (lost).
    /// </summary>
    public async Task<(int Confirmed, int Stored, int ConfirmedButNotStored)> ConfirmedAndStoredAsync()
    {
        await using var db = Db();
        var processed = (await db.ProcessedUpdates.Select(u => u.UpdateId).ToListAsync()).ToHashSet();
        var offset = Telegram.HighestOffset;
        var confirmed = Updates.Keys.Where(id => id < offset).ToList();
        return (confirmed.Count, processed.Count, confirmed.Count(id => !processed.Contains(id)));
    }

    public async Task WaitForOutboxDrainedAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = Db();
            var pending = await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending);
            if (pending == 0) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"{pending} outbox messages are still pending.\n{Server?.Output}");
            await Task.Delay(200);
        }
    }

    public async Task<string> IntegrityCheckAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>What the database and the fake Telegram say after the run.</summary>
    public async Task<RunReport> ReportAsync()
    {
        await using var db = Db();
        var processedRows = await db.ProcessedUpdates.Select(u => u.UpdateId).ToListAsync();
        var processed = processedRows.ToHashSet();
        var answers = await db.Answers.Select(a => new { a.QuestionId, a.ParticipantId, a.UpdateId }).ToListAsync();
        var rows = await db.OutboxMessages.ToListAsync();
        var q2 = await db.Questions.SingleAsync(q => q.Id == Question2Id);

        // Superseded edits are dropped on purpose; every other row must have reached Telegram. Toasts name no chat in
        // their call (only the button press's id), so they are counted apart.
        var texts = await db.TextsAsync(rows);
        var owed = rows.Select((r, i) => (Row: r, Text: texts[i] ?? ""))
            .Where(r => r.Row.Method != OutboxMethod.AnswerCallbackQuery)
            .Where(r => r.Row.Status != OutboxStatus.Sent || r.Row.LastError is not (OutboxSender.SupersededNote or OutboxSender.FoldedNote or OutboxSender.FoldedIntoWaitingNote))
            .GroupBy(r => (r.Row.ChatId, r.Text)).ToDictionary(g => g.Key, g => g.Count());
        var delivered = Telegram.Delivered.Where(c => c.Method is "sendMessage" or "editMessageText")
            .GroupBy(c => (c.ChatId ?? "", c.Text ?? "")).ToDictionary(g => g.Key, g => g.Count());
        var lost = owed.Sum(o => Math.Max(0, o.Value - delivered.GetValueOrDefault(o.Key)));
        var duplicates = owed.Sum(o => Math.Max(0, delivered.GetValueOrDefault(o.Key) - o.Value));

        var toastsLost = Math.Max(0, rows.Count(r => r.Method == OutboxMethod.AnswerCallbackQuery)
            - Telegram.Delivered.Count(c => c.Method == "answerCallbackQuery"));
        // Polling: what the server confirmed to Telegram by asking for an offset past it.
        var acknowledged = Polling ? [.. Updates.Keys.Where(id => id < Telegram.HighestOffset)] : Acknowledged.Keys.ToList();

        return new RunReport(
            UpdatesSent: Updates.Count,
            Acknowledged: acknowledged.Count,
            AcknowledgedButNotStored: acknowledged.Count(id => !processed.Contains(id)),
            StoredButNeverSent: processed.Count(id => !Updates.ContainsKey(id)),
            AnswerUpdates: Updates.Count(u => u.Value.Step is 1 or 3),
            AnswersStored: answers.Count,
            AnswersMatchingTheirUpdate: answers.Count(a => Updates.TryGetValue(a.UpdateId, out var u) && u.User == a.ParticipantId && u.Step == (a.QuestionId == Question1Id ? 1 : 3)),
            OutboxRows: rows.Count,
            OutboxPending: rows.Count(r => r.Status == OutboxStatus.Pending),
            OutboxFailed: rows.Count(r => r.Status == OutboxStatus.Failed),
            ChannelResultsRows: rows.Count(r => r.Purpose == OutboxPurpose.ChannelResults && r.QuestionId == Question2Id),
            Question2State: q2.State,
            MessagesLost: lost,
            DuplicateSends: duplicates,
            HtmlRefused: Telegram.HtmlErrors.Count,
            Refused: Refused,
            FailedRows: string.Join("; ", rows.Where(r => r.Status == OutboxStatus.Failed).Select(r => $"{r.Purpose} to {r.ChatId}: {r.LastError}")),
            UpdatesStoredTwice: processedRows.Count - processed.Count,
            AnswersStoredTwice: answers.Count - answers.Select(a => (a.ParticipantId, a.QuestionId)).Distinct().Count(),
            ToastsLost: toastsLost);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is { } server) await server.DisposeAsync();
        await Telegram.DisposeAsync();
        _http.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}

sealed record RunReport(
    int UpdatesSent, int Acknowledged, int AcknowledgedButNotStored, int StoredButNeverSent,
    int AnswerUpdates, int AnswersStored, int AnswersMatchingTheirUpdate,
    int OutboxRows, int OutboxPending, int OutboxFailed, int ChannelResultsRows, QuestionState Question2State,
    int MessagesLost, int DuplicateSends, int HtmlRefused, int Refused, string FailedRows,
    int UpdatesStoredTwice, int AnswersStoredTwice, int ToastsLost);
