using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodeQuiz.Bench;

/// <summary>
/// The whole benchmark: a fresh SQLite database per server run, seeded with an event and open questions;
/// the webhook with and without replies in the response body (each against the baseline endpoint of the
/// same process); polling until a preloaded backlog is drained; closing a question with 100,000 answers.
/// After each traffic run the stored rows are checked against what was acknowledged.
/// </summary>
public sealed class Benchmark(BenchOptions options, FakeBotApi api, HttpClient http, string dir, string serverDll)
{
    public const string Secret = "bench-secret_0123456789";
    const string OrganizerEmail = "bench@codequiz.example", OrganizerPassword = "Bench-Password-2026!";
    const long ProbeUser = 299_000_001, SeededFirstUser = 200_000_001, SeededFirstUpdate = 100_000_001;

    readonly List<string> _problems = [];
    readonly List<string> _notes = [];
    double _peakRssMb, _cpuSeconds;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var serverDll = options.ServerDll ?? FindServerDll();
        if (!File.Exists(serverDll))
        {
            Console.Error.WriteLine($"No server at {serverDll}: build it first (dotnet build -c Release) or pass --server.");
            return 2;
        }
        var dir = Directory.CreateTempSubdirectory("codequiz-bench-").FullName;
        Log($"server {serverDll}; temporary folder {dir}");
        await using var api = await FakeBotApi.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        })
        { Timeout = TimeSpan.FromSeconds(40) };
        try
        {
            var bench = new Benchmark(options, api, http, dir, serverDll);
            var report = await bench.RunPhasesAsync();
            Console.Out.WriteLine(report.ToJsonString());
            return bench._problems.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (options.Keep) Log($"kept {dir}");
            else try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    async Task<JsonObject> RunPhasesAsync()
    {
        var loadBefore = LoadAverage();
        var started = Stopwatch.GetTimestamp();

        var template = Path.Combine(dir, "template.db");
        Log("migrating a fresh database");
        await using (var setup = await StartServerAsync(template, "setup", replyInResponse: false))
            await setup.StopAsync();
        BenchDatabase.Checkpoint(template);
        var quiz = BenchDatabase.SeedQuiz(template);
        var traffic = await ProbeTrafficAsync(template, quiz);

        var report = new JsonObject();
        if (options.Phases.Contains("webhook"))
            report["webhook"] = await WebhookAsync(template, traffic, replyInResponse: false);
        if (options.Phases.Contains("reply"))
            report["webhookReplyInResponse"] = await WebhookAsync(template, traffic, replyInResponse: true);
        if (options.Phases.Contains("polling"))
            report["polling"] = await PollingAsync(template, traffic);
        if (options.Phases.Contains("close"))
            report["close"] = await CloseAsync(template, quiz);

        // The headline numbers first, the details after them.
        var summary = new JsonObject();
        if (report["webhook"] is JsonObject w)
        {
            summary["updatesPerSecond"] = w["updatesPerSecond"]?.DeepClone();
            summary["p50Ms"] = w["p50Ms"]?.DeepClone();
            summary["p99Ms"] = w["p99Ms"]?.DeepClone();
            summary["p999Ms"] = w["p999Ms"]?.DeepClone();
            summary["baselineUpdatesPerSecond"] = w["baselineUpdatesPerSecond"]?.DeepClone();
            summary["ratio"] = w["ratio"]?.DeepClone();
            summary["warmupSeconds"] = w["warmupSeconds"]?.DeepClone();
        }
        if (report["webhookReplyInResponse"] is JsonObject r)
        {
            summary["replyInResponseUpdatesPerSecond"] = r["updatesPerSecond"]?.DeepClone();
            summary["replyInResponseP99Ms"] = r["p99Ms"]?.DeepClone();
            summary["replyInResponseRatio"] = r["ratio"]?.DeepClone();
        }
        if (report["polling"] is JsonObject p) summary["pollingUpdatesPerSecond"] = p["updatesPerSecond"]?.DeepClone();
        if (report["close"] is JsonObject c) summary["closeMs"] = c["closeMs"]?.DeepClone();
        // The target's memory is the close phase's: 100,000 participants and their answers loaded. The webhook phases
        // register as many participants as their minutes allow (400,000 and more here), so their peak is given apart.
        if (report["close"] is JsonObject memory)
        {
            summary["peakRssMb"] = memory["peakRssMb"]?.DeepClone();
            summary["peakRssParticipants"] = memory["participants"]?.DeepClone();
        }
        summary["peakRssAnyPhaseMb"] = Round(_peakRssMb, 1);
        summary["cpuSeconds"] = Round(_cpuSeconds, 1);
        summary["verified"] = _problems.Count == 0;
        foreach (var (key, value) in report) summary[key] = value?.DeepClone();
        summary["machine"] = new JsonObject
        {
            ["nproc"] = Environment.ProcessorCount,
            ["cpu"] = CpuModel(),
            ["memoryGb"] = Round(MemoryGb(), 1),
            ["loadAverageBefore"] = loadBefore,
            ["loadAverageAfter"] = LoadAverage(),
        };
        summary["settings"] = new JsonObject
        {
            ["durationSeconds"] = options.Duration.TotalSeconds,
            ["minWarmupSeconds"] = options.Warmup.TotalSeconds,
            ["connections"] = options.Connections,
            ["server"] = new JsonObject(options.ServerSettings.Select(s => new KeyValuePair<string, JsonNode?>(s.Key, s.Value))),
            ["serverRuntime"] = ServerRuntime(serverDll),
        };
        summary["wallSeconds"] = Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
        summary["problems"] = new JsonArray([.. _problems.Select(x => JsonValue.Create(x))]);
        summary["notes"] = new JsonArray([.. _notes.Select(x => JsonValue.Create(x))]);
        return summary;
    }

    /// <summary>
    /// What the server's runtime ran with: the properties of its runtimeconfig.json and the runtime's DOTNET_ variables it inherits.
    /// An incremental build keeps a runtimeconfig.json edited by hand, so a run shows it rather than trusting it.
    /// </summary>
    static JsonObject ServerRuntime(string serverDll)
    {
        var runtime = new JsonObject();
        var file = Path.ChangeExtension(serverDll, ".runtimeconfig.json");
        if (File.Exists(file) && JsonNode.Parse(File.ReadAllText(file))?["runtimeOptions"]?["configProperties"] is JsonObject properties)
            foreach (var (key, value) in properties)
                runtime[key] = value?.DeepClone();
        string[] sdkOnly = ["DOTNET_CLI_", "DOTNET_ROOT", "DOTNET_NOLOGO", "DOTNET_GENERATE_ASPNET_CERTIFICATE", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE"];
        foreach (var variable in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal)).Order())
            if (!sdkOnly.Any(prefix => variable.StartsWith(prefix, StringComparison.Ordinal)))
                runtime[variable] = Environment.GetEnvironmentVariable(variable);
        return runtime;
    }

    /// <summary>Learns the multiple-choice buttons the bot really sends, so that button presses carry its callback data.</summary>
    async Task<Traffic> ProbeTrafficAsync(string template, BenchQuiz quiz)
    {
        var db = BenchDatabase.Copy(template, Path.Combine(dir, "probe.db"));
        string? markup = null;
        await using (var server = await StartServerAsync(db, "probe", replyInResponse: false))
        {
            var body = new Traffic(quiz, "{}", [""]).Build(StepKind.ChoiceStart, ProbeUser, 599_999_999, new Random(1));
            using var response = await PostWebhookAsync(server, body);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"The probe update got {(int)response.StatusCode} instead of 200.");
            markup = BenchDatabase.ReplyMarkupFor(db, ProbeUser);
            await server.StopAsync();
        }
        string[] data = markup is null ? [] : JsonNode.Parse(markup)?["inline_keyboard"]?.AsArray()
            .SelectMany(row => row!.AsArray()).Select(b => b?["callback_data"]?.GetValue<string>()).OfType<string>().ToArray() ?? [];
        if (data.Length == 0)
        {
            _notes.Add("The bot sent no inline keyboard for the multiple-choice question; button presses use the fixtures' callback data (a:CODE:index).");
            data = [.. BenchDatabase.ChoiceOptions.Select((_, i) => $"a:{quiz.Choice.Code}:{i}")];
            markup = JsonSerializer.Serialize(new { inline_keyboard = BenchDatabase.ChoiceOptions.Select((o, i) => new[] { new { text = o, callback_data = data[i] } }) });
        }
        Log($"buttons carry {string.Join(", ", data)}");
        return new Traffic(quiz, markup!, data);
    }

    async Task<JsonObject> WebhookAsync(string template, Traffic traffic, bool replyInResponse)
    {
        var name = replyInResponse ? "webhook-reply" : "webhook";
        var db = BenchDatabase.Copy(template, Path.Combine(dir, name + ".db"));
        await using var server = await StartServerAsync(db, name, replyInResponse);
        Log($"{name}: {options.Connections} connections, a warm-up of {options.Warmup.TotalSeconds} s or more, {options.Duration.TotalSeconds} s measured");
        var load = new WebhookLoad(http, server.Address, Secret, traffic, options.Connections);
        var result = await load.RunAsync(server, options, new DiskStats(dir), m => Log($"{name}: {m}"));
        var stats = Finish(server);
        await server.StopAsync();

        var stored = BenchDatabase.ReadStored(db);
        Verify(name, stored, result.AckedUpdateIds, result.AckedAnswerIds);
        if (stored.DeadLetters < result.AckedMalformed)
            _problems.Add($"{name}: {result.AckedMalformed} malformed bodies were acknowledged but only {stored.DeadLetters} dead letters were stored.");
        if (result.Rejected > 0)
            _problems.Add($"{name}: {result.Rejected} requests got a status other than 200 or 503; see {name}.log.");

        var w = result.Webhook;
        var b = result.Baseline;
        if (!result.Warmup.TieringSettled)
            _notes.Add($"{name}: tiered compilation had not settled after a {result.Warmup.Seconds:F0} s warm-up; the measured slices include some of it.");
        Log($"{name}: {w.PerSecond:F0} updates/s (p99 {w.P99Ms:F1} ms), baseline {b.PerSecond:F0}/s, ratio {w.PerSecond / b.PerSecond:F2}");
        return new JsonObject
        {
            ["updatesPerSecond"] = Round(w.PerSecond, 0),
            ["newUpdatesPerSecond"] = Round(w.NewUpdatesPerSecond, 0),
            ["p50Ms"] = Round(w.P50Ms, 2),
            ["p99Ms"] = Round(w.P99Ms, 2),
            ["p999Ms"] = Round(w.P999Ms, 2),
            ["maxMs"] = Round(w.MaxMs, 2),
            ["baselineUpdatesPerSecond"] = Round(b.PerSecond, 0),
            ["baselineP99Ms"] = Round(b.P99Ms, 2),
            ["ratio"] = Round(b.PerSecond == 0 ? 0 : w.PerSecond / b.PerSecond, 3),
            ["sliceRatios"] = new JsonArray(result.SliceRatios.Select(r => (JsonNode?)Round(r, 3)).ToArray()),
            ["acknowledged"] = w.Requests,
            ["repeats"] = w.Repeats,
            ["malformed"] = w.Malformed,
            ["refused503"] = w.Refused,
            ["repliesInResponse"] = w.RepliesInResponse,
            ["cpuSeconds"] = Round(w.CpuSeconds, 1),
            ["cpuMsPerUpdate"] = Round(w.CpuMsPerUpdate, 3),
            ["baselineCpuMsPerUpdate"] = Round(b.CpuMsPerUpdate, 3),
            ["loadCpuMsPerUpdate"] = Round(w.LoadCpuMsPerUpdate, 3),
            ["baselineLoadCpuMsPerUpdate"] = Round(b.LoadCpuMsPerUpdate, 3),
            ["idleShare"] = Round(w.IdleShare, 3),
            ["baselineIdleShare"] = Round(b.IdleShare, 3),
            ["stealShare"] = Round(w.StealShare, 3),
            ["baselineStealShare"] = Round(b.StealShare, 3),
            ["otherShare"] = Round(w.OtherShare, 3),
            ["baselineOtherShare"] = Round(b.OtherShare, 3),
            ["diskFlushesPerSecond"] = Round(w.Disk.FlushesPerSecond, 0),
            ["diskFlushMs"] = Round(w.Disk.FlushMs, 3),
            ["diskWritesPerSecond"] = Round(w.Disk.WritesPerSecond, 0),
            ["diskWriteMs"] = Round(w.Disk.WriteMs, 3),
            ["serverCpuSeconds"] = Round(stats.CpuSeconds, 1),
            ["peakRssMb"] = Round(stats.PeakRssMb, 1),
            ["participants"] = stored.Participants,
            ["outboxMessages"] = stored.OutboxMessages,
            ["warmupSeconds"] = Round(result.Warmup.Seconds, 1),
            ["tieringSettled"] = result.Warmup.TieringSettled,
            ["tieringCpuSecondsMeasured"] = Round(result.Warmup.TieringCpuSecondsMeasured, 2),
        };
    }

    async Task<JsonObject> PollingAsync(string template, Traffic traffic)
    {
        var db = BenchDatabase.Copy(template, Path.Combine(dir, "polling.db"));
        traffic.SkipUpdateIdsTo(900_000_000);
        var backlog = traffic.Backlog(options.PollingUpdates, options.Connections, new Random(42));
        api.PreloadUpdates(backlog);
        Log($"polling: {backlog.Count} updates waiting at the fake Bot API");
        await using var server = await StartServerAsync(db, "polling", replyInResponse: false, mode: "Polling");
        var limit = Stopwatch.GetTimestamp() + Stopwatch.Frequency * Math.Max(120, backlog.Count / 500);
        while (api.PollingDrainTime is null)
        {
            if (server.HasExited || Stopwatch.GetTimestamp() > limit)
            {
                _problems.Add("polling: the backlog was not drained in time; see polling.log.");
                break;
            }
            await Task.Delay(20);
        }
        var drain = api.PollingDrainTime;
        var stats = Finish(server);
        await server.StopAsync();

        var stored = BenchDatabase.ReadStored(db);
        Verify("polling", stored, backlog.Select(u => u.Id).ToList(), backlog.Where(u => Traffic.IsAnswer(u.Kind)).Select(u => u.Id).ToList());
        var rate = drain is { } d ? backlog.Count / d.TotalSeconds : 0;
        Log($"polling: {rate:F0} updates/s");
        return new JsonObject
        {
            ["updatesPerSecond"] = Round(rate, 0),
            ["updates"] = backlog.Count,
            ["seconds"] = Round(drain?.TotalSeconds ?? 0, 2),
            ["serverCpuSeconds"] = Round(stats.CpuSeconds, 1),
            ["peakRssMb"] = Round(stats.PeakRssMb, 1),
        };
    }

    /// <summary>
    /// A question with 100,000 answers (and as many participants) is closed through the organizer API; measured until
    /// the close returned (ranking done, results post queued in the same commit), the results read back, and the post
    /// reached the Bot API. Without the API the question closes itself at a deadline instead.
    /// </summary>
    async Task<JsonObject> CloseAsync(string template, BenchQuiz quiz)
    {
        var db = BenchDatabase.Copy(template, Path.Combine(dir, "close.db"));
        Log($"close: seeding {options.CloseAnswers} participants and answers");
        BenchDatabase.SeedAnswers(db, quiz.Close, options.CloseAnswers, SeededFirstUser, SeededFirstUpdate);
        // The fallback when there is no API to close through: the question's own time limit.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(45);
        BenchDatabase.SetDeadline(db, quiz.Close, deadline);
        var startedAt = Stopwatch.GetTimestamp();
        await using var server = await StartServerAsync(db, "close", replyInResponse: false);
        var startSeconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        var loaded = server.ReadStats();
        var postsBefore = api.ChannelPosts.Count;

        var result = new JsonObject { ["answers"] = options.CloseAnswers, ["participants"] = options.CloseAnswers };
        var token = await LoginAsync(server);
        long t0;
        if (token is not null && DateTimeOffset.UtcNow < deadline.AddSeconds(-5))
        {
            http.DefaultRequestHeaders.Authorization = null;
            using var close = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, $"/api/questions/{quiz.Close.Id}/close"));
            close.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            t0 = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(close);
            var closeMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                result["via"] = "POST /api/questions/{id}/close";
                result["closeMs"] = Round(closeMs, 1);
                result["rankingMs"] = await RankingAsync(server, token, quiz.Close.Id, t0);
                if (await InServerAsync(server) is { } inServer)
                    result["inServerMs"] = inServer;
            }
            else
            {
                _notes.Add($"close: POST /api/questions/{{id}}/close answered {(int)response.StatusCode}; the question closed at its deadline instead.");
                t0 = await UntilAsync(deadline);
                result["via"] = "time limit";
            }
        }
        else
        {
            _notes.Add("close: no organizer API to sign in to; the question closed at its deadline instead.");
            t0 = await UntilAsync(deadline);
            result["via"] = "time limit";
        }

        var post = await WaitForAsync(() => api.ChannelPosts.Skip(postsBefore).FirstOrDefault(x => x.Method == "sendMessage"), TimeSpan.FromSeconds(30));
        if (post is null) _problems.Add("close: no results post reached the Bot API within 30 s.");
        else result["resultsPostSentMs"] = Round(Math.Max(0, (post.Timestamp - t0) * 1000.0 / Stopwatch.Frequency), 1);
        if (result["closeMs"] is null && post is not null) result["closeMs"] = result["resultsPostSentMs"]!.DeepClone();

        var stats = Finish(server);
        // What organizers download after the show, read once the memory above is taken: it holds a participant's name a row.
        if (token is not null)
            result["answersCsvMs"] = await AnswersCsvAsync(server, token, quiz.EventId);
        await server.StopAsync();
        result["serverStartSeconds"] = Round(startSeconds, 1);
        result["rssAfterLoadMb"] = Round(loaded.RssMb, 1);
        result["peakRssMb"] = Round(stats.PeakRssMb, 1);
        Log($"close: {result.ToJsonString()}");
        return result;
    }

    async Task<string?> LoginAsync(ServerProcess server)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(new Uri(server.Address, "/api/auth/login"), new { email = OrganizerEmail, password = OrganizerPassword });
            if (!response.IsSuccessStatusCode) return null;
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())?["accessToken"]?.GetValue<string>();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Milliseconds to download the event's answers CSV whole; a CSV without every answer is a problem of the run.</summary>
    async Task<JsonNode?> AnswersCsvAsync(ServerProcess server, string token, int eventId)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, $"/api/events/{eventId}/answers.csv"));
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            _problems.Add($"close: GET /api/events/{{id}}/answers.csv answered {(int)response.StatusCode}.");
            return null;
        }
        var lines = 0L;
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        var ms = Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        if (lines != options.CloseAnswers + 1)
            _problems.Add($"close: the answers CSV had {lines - 1} rows for {options.CloseAnswers} answers.");
        return ms;
    }

    /// <summary>Milliseconds from the close until GET results shows the question closed with a ranking.</summary>
    async Task<JsonNode?> RankingAsync(ServerProcess server, string token, int questionId, long t0)
    {
        for (var i = 0; i < 300; i++)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, $"/api/questions/{questionId}/results"));
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(get);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (response.IsSuccessStatusCode
                && JsonNode.Parse(await response.Content.ReadAsStringAsync()) is { } json
                && json["state"]?.ToString() == "Closed" && json["ranking"] is JsonArray { Count: > 0 })
                return Round(Stopwatch.GetElapsedTime(t0).TotalMilliseconds, 1);
            await Task.Delay(10);
        }
        return null;
    }

    static async Task<long> UntilAsync(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        return Stopwatch.GetTimestamp();
    }

    static async Task<T?> WaitForAsync<T>(Func<T?> probe, TimeSpan timeout) where T : class
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (probe() is { } found) return found;
            await Task.Delay(5);
        }
        return null;
    }

    /// <summary>Every acknowledged update is stored exactly once, and every acknowledged answer too.</summary>
    void Verify(string phase, StoredState stored, List<long> ackedUpdates, List<long> ackedAnswers)
    {
        var missing = ackedUpdates.Where(id => !stored.ProcessedUpdateIds.Contains(id)).ToList();
        if (missing.Count > 0)
            _problems.Add($"{phase}: {missing.Count} acknowledged updates are not in ProcessedUpdates (first {string.Join(", ", missing.Take(5))}).");
        var lost = ackedAnswers.Where(id => stored.AnswerUpdateIds.GetValueOrDefault(id) == 0).ToList();
        if (lost.Count > 0)
            _problems.Add($"{phase}: {lost.Count} of {ackedAnswers.Count} acknowledged answers are not in Answers (first {string.Join(", ", lost.Take(5))}).");
        var twice = stored.AnswerUpdateIds.Where(a => a.Value > 1).ToList();
        if (twice.Count > 0)
            _problems.Add($"{phase}: {twice.Count} updates were recorded as an answer more than once.");
        Log($"{phase}: verified {ackedUpdates.Count} acknowledged updates and {ackedAnswers.Count} answers against the database");
    }

    ProcessStats Finish(ServerProcess server)
    {
        var stats = server.ReadStats();
        _peakRssMb = Math.Max(_peakRssMb, stats.PeakRssMb);
        _cpuSeconds += stats.CpuSeconds;
        return stats;
    }

    /// <summary>
    /// Where the close spent its time inside the server, as the batch writer logs it once the close is on disk: in its queue,
    /// ranking and writing, then committing and flushing. Null (and a note) when the line is not in the server's log.
    /// </summary>
    async Task<JsonObject?> InServerAsync(ServerProcess server)
    {
        for (var i = 0; i < 50; i++) // the server's output reaches its log a moment after the response
        {
            var line = System.Text.RegularExpressions.Regex.Match(server.ReadLog(), @"close was on disk (\d+) \+ (\d+) \+ (\d+) ms");
            if (line.Success)
                return new JsonObject
                {
                    ["queued"] = long.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture),
                    ["rankedAndWritten"] = long.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture),
                    ["committedAndFlushed"] = long.Parse(line.Groups[3].Value, CultureInfo.InvariantCulture),
                };
            await Task.Delay(100);
        }
        _notes.Add("close: the server's log does not say how long its close took inside the server.");
        return null;
    }

    async Task<ServerProcess> StartServerAsync(string db, string name, bool replyInResponse, string mode = "Webhook")
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={db}",
            ["Telegram:Mode"] = mode,
            ["Telegram:BotToken"] = FakeBotApi.Token,
            ["Telegram:WebhookUrl"] = "https://bench.example/telegram/webhook",
            ["Telegram:SecretToken"] = Secret,
            ["Telegram:ApiBaseUrl"] = api.BaseAddress.ToString(),
            ["Ingest:BaselineEndpoint"] = "true",
            ["Outbox:ReplyInWebhookResponse"] = replyInResponse ? "true" : "false",
            ["Bootstrap:OrganizerEmail"] = OrganizerEmail,
            ["Bootstrap:OrganizerPassword"] = OrganizerPassword,
        };
        foreach (var (key, value) in options.ServerSettings) settings[key] = value;

        var registrations = api.Calls(mode == "Polling" ? "deleteWebhook" : "setWebhook");
        var server = ServerProcess.Start(serverDll, settings, Path.Combine(dir, name + ".log"));
        try
        {
            await server.WaitHealthyAsync(http, TimeSpan.FromSeconds(120));
            // The webhook is registered (or deleted, for polling) only once the batch writer has loaded its state.
            if (await WaitForAsync(() => api.Calls(mode == "Polling" ? "deleteWebhook" : "setWebhook") > registrations ? "" : null, TimeSpan.FromSeconds(120)) is null)
                throw new TimeoutException($"The server never registered with the Bot API; see {name}.log in {dir}.");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    Task<HttpResponseMessage> PostWebhookAsync(ServerProcess server, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, WebhookLoad.WebhookPath)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
        return http.SendAsync(request);
    }

    static string FindServerDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CodeQuiz.sln")))
                return Path.Combine(d.FullName, "CodeQuiz.Web", "bin", configuration, "net10.0", "CodeQuiz.Web.dll");
        return Path.GetFullPath("CodeQuiz.Web.dll");
    }

    static JsonNode Round(double value, int digits) => JsonValue.Create(Math.Round(value, digits))!;

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";

    static string CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? ""
        : "";

    static double MemoryGb()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
