using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Xunit.Abstractions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// Thousands of generated bodies with the right secret: random JSON, wrong types, missing fields, deep nesting,
/// megabyte strings, invalid UTF-8, huge numbers and every kind of update the bot does not handle, with normal
/// traffic in between. Nothing may get a 5xx, every acknowledged body is kept (as an update or a dead letter),
/// normal updates keep being stored, and memory stays bounded.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class HostileInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    const string Secret = "fuzz-secret_0123456789";
    const int Bodies = 3000, NormalEvery = 10;
    readonly CodeQuizFactory _factory = new();
    HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ThousandsOfHostileBodiesGetNo5xxAreAllKeptAndNormalTrafficKeepsFlowing()
    {
        var random = new Random(20261129);
        var nextId = 900_000_000;
        var generators = Generators(random, () => Interlocked.Increment(ref nextId)).ToList();
        var sent = new (string Kind, int? UpdateId, string DeadLetterHash)[Bodies];
        var normal = new ConcurrentBag<int>();

        await PostAsync(Encoding.UTF8.GetBytes("{}")); // warm up before measuring memory
        var memoryBefore = Memory();

        var statuses = new ConcurrentDictionary<int, int>();
        var acknowledged = new ConcurrentBag<int>();
        var failures = new ConcurrentQueue<string>();
        var normalFailures = new ConcurrentQueue<string>();
        var index = -1;
        var clock = Stopwatch.StartNew();
        // Two rounds: the first warms up every cache and pool, the second must not grow memory much further.
        await RoundAsync(Bodies / 2);
        var memoryHalfway = Memory();
        index = Bodies / 2 - 1; // the workers ran past the end of the first round
        await RoundAsync(Bodies);
        clock.Stop();
        var memoryAfter = Memory();

        Task RoundAsync(int until) => Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref index)) < until)
            {
                (string Kind, byte[] Body, int? UpdateId) made;
                lock (generators) made = generators[i % generators.Count]();
                sent[i] = (made.Kind, made.UpdateId, Hash(Encoding.UTF8.GetString(made.Body)));
                var response = await PostAsync(made.Body);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if ((int)response.StatusCode >= 500)
                    failures.Enqueue($"{made.Kind}: {(int)response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.OK)
                    acknowledged.Add(i);

                if (i % NormalEvery == 0)
                {
                    var id = Interlocked.Increment(ref nextId);
                    var ok = await PostAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Start(id, 60_000_000 + i), JsonBotAPI.Options)));
                    if (ok.StatusCode == HttpStatusCode.OK) normal.Add(id);
                    else normalFailures.Enqueue($"normal update {id}: {(int)ok.StatusCode}");
                }
            }
        })));

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var processed = (await db.ProcessedUpdates.Select(u => u.UpdateId).ToListAsync()).ToHashSet();
        var deadLetters = await db.DeadLetters.CountAsync();
        var deadHashes = new HashSet<string>();
        foreach (var id in await db.DeadLetters.Select(d => d.Id).ToListAsync())
            deadHashes.Add(Hash(await db.DeadLetters.Where(d => d.Id == id).Select(d => d.Body).SingleAsync()));
        var lostBodies = acknowledged.Where(i => !(sent[i].UpdateId is int id && processed.Contains(id)) && !deadHashes.Contains(sent[i].DeadLetterHash))
            .Select(i => sent[i].Kind).ToList();
        var healthy = await _client.GetAsync("/healthz");

        output.WriteLine($"{Bodies} hostile bodies and {normal.Count} normal updates in {clock.Elapsed.TotalSeconds:0.0} s; " +
            $"statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; " +
            $"dead letters {deadLetters}; kinds {generators.Count}; managed memory {memoryBefore.Managed / 1_048_576} → {memoryHalfway.Managed / 1_048_576} → {memoryAfter.Managed / 1_048_576} MB, " +
            $"RSS {memoryBefore.Rss / 1_048_576} → {memoryHalfway.Rss / 1_048_576} → {memoryAfter.Rss / 1_048_576} MB");
        Assert.Empty(failures);
        Assert.Empty(normalFailures);
        Assert.All(statuses.Keys, s => Assert.Contains(s, new[] { 200, 413 }));
        Assert.True(lostBodies.Count == 0, "acknowledged but kept nowhere: " + string.Join(", ", lostBodies.Distinct()));
        Assert.All(normal, id => Assert.Contains(id, processed));
        Assert.Equal(Bodies / NormalEvery, normal.Count);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.True(memoryAfter.Managed - memoryHalfway.Managed < 48L * 1_048_576,
            $"managed memory grew from {memoryHalfway.Managed / 1_048_576} to {memoryAfter.Managed / 1_048_576} MB in the second round");
    }

    /// <summary>Identifies a kept body; SQLite text ends at a NUL character, so only what precedes one is compared.</summary>
    static string Hash(string text) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.Split('\0')[0])));

    static (long Managed, long Rss) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }

    async Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = content };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
        return await _client.SendAsync(request);
    }

    static Update Start(int id, long user) => new()
    {
        Id = id,
        Message = new Message
        {
            Id = id % 1_000_000, Date = DateTime.UtcNow, Text = "/start",
            Chat = new Chat { Id = user, Type = ChatType.Private, FirstName = "N" },
            From = new User { Id = user, FirstName = "N" },
        },
    };

    /// <summary>Each generator makes one body of its kind; the update id is known when the body carries a usable one.</summary>
    static IEnumerable<Func<(string, byte[], int?)>> Generators(Random random, Func<int> nextId)
    {
        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
        static byte[] Json(JsonNode node) => Utf8(node.ToJsonString());

        yield return () => ("random JSON", Utf8(RandomNode(random, 0)?.ToJsonString() ?? "null"), null);
        yield return () => ("random JSON object", Json(RandomObject(random, 0)), null);
        yield return () => ("random bytes", RandomBytes(random, random.Next(1, 2000)), null);
        yield return () => ("empty body", [], null);
        yield return () => ("JSON null", Utf8("null"), null);
        yield return () => ("JSON string", Utf8("\"update\""), null);
        yield return () => ("JSON array", Utf8("[1,2,3]"), null);
        yield return () => ("truncated", Utf8("{\"update_id\": 5, \"message\": {\"text\": \"hel"), null);
        yield return () => Id("update_id as a string", nextId(), id => $"{{\"update_id\":\"{id}\",\"message\":{{\"text\":\"hi\"}}}}");
        yield return () => ("update_id fractional", Utf8("{\"update_id\":1.5}"), null);
        yield return () => ("update_id huge", Utf8("{\"update_id\":99999999999999999999999999999}"), null);
        yield return () => ("update_id 1e400", Utf8("{\"update_id\":1e400}"), null);
        yield return () => ("update_id negative", Utf8("{\"update_id\":-7}"), null);
        yield return () => ("update_id missing", Utf8("{\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"text\":\"hi\"}}"), null);
        yield return () => Id("message as a string", nextId(), id => $"{{\"update_id\":{id},\"message\":\"hello\"}}");
        yield return () => Id("message as an array", nextId(), id => $"{{\"update_id\":{id},\"message\":[1,2]}}");
        yield return () => Id("chat id as an object", nextId(), id => $"{{\"update_id\":{id},\"message\":{{\"message_id\":1,\"date\":1,\"chat\":{{\"id\":{{}},\"type\":\"private\"}},\"text\":\"x\"}}}}");
        yield return () => Id("chat id huge", nextId(), id => $"{{\"update_id\":{id},\"message\":{{\"message_id\":1,\"date\":1,\"chat\":{{\"id\":1e30,\"type\":\"private\"}},\"from\":{{\"id\":123456789012345678901234567890,\"is_bot\":false,\"first_name\":\"x\"}},\"text\":\"x\"}}}}");
        yield return () => Id("date far future", nextId(), id => $"{{\"update_id\":{id},\"message\":{{\"message_id\":1,\"date\":99999999999999,\"chat\":{{\"id\":5,\"type\":\"private\"}},\"from\":{{\"id\":5,\"is_bot\":false,\"first_name\":\"x\"}},\"text\":\"x\"}}}}");
        yield return () => Id("unknown chat type", nextId(), id => $"{{\"update_id\":{id},\"message\":{{\"message_id\":1,\"date\":1,\"chat\":{{\"id\":6,\"type\":\"spaceship\"}},\"from\":{{\"id\":6,\"is_bot\":false,\"first_name\":\"x\"}},\"text\":\"x\"}}}}");
        yield return () => Id("message without from or chat", nextId(), id => $"{{\"update_id\":{id},\"message\":{{\"message_id\":1,\"date\":1,\"text\":\"/start\"}}}}");
        yield return () => Id("callback without message or data", nextId(), id => $"{{\"update_id\":{id},\"callback_query\":{{\"id\":\"q\",\"from\":{{\"id\":8,\"is_bot\":false,\"first_name\":\"x\"}},\"chat_instance\":\"1\"}}}}");
        yield return () => Id("callback with hostile data", nextId(), id => $"{{\"update_id\":{id},\"callback_query\":{{\"id\":\"q\",\"from\":{{\"id\":9,\"is_bot\":false,\"first_name\":\"x\"}},\"chat_instance\":\"1\",\"data\":\"a:'; DROP TABLE Answers;--:99999999999\"}}}}");
        yield return () => ("deep array", Utf8(new string('[', 20_000) + new string(']', 20_000)), null);
        yield return () => Id("deep object in an update", nextId(), id => $"{{\"update_id\":{id},\"message\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000) + "}");
        yield return () => ("1 MB string", Utf8("{\"update_id\":1,\"x\":\"" + new string('A', 1_100_000) + "\"}"), null);
        yield return () =>
        {
            var id = nextId();
            var update = Start(id, 70_000_000 + id % 1000);
            update.Message!.Text = "TEXT";
            // 800 kB of UTF-8, under the limit: a valid, absurd message. Written by hand because the serializer would
            // escape every character (2.4 MB) and keep its megabyte buffers pooled in this process.
            var json = JsonSerializer.Serialize(update, JsonBotAPI.Options).Replace("\"TEXT\"", "\"" + new string('ü', 400_000) + "\"");
            return ("800 kB text", Utf8(json), id);
        };
        yield return () => { var id = nextId(); return ("invalid UTF-8 in a string", [.. Utf8($"{{\"update_id\":{id},\"message\":{{\"text\":\""), 0xC3, 0x28, 0xFF, 0xFE, .. Utf8("\"}}")], id); };
        yield return () => Id("lone surrogate escape", nextId(), id => $"{{\"update_id\":{id},\"message\":{{\"message_id\":1,\"date\":1,\"chat\":{{\"id\":11,\"type\":\"private\"}},\"from\":{{\"id\":11,\"is_bot\":false,\"first_name\":\"\\ud800\"}},\"text\":\"\\udfff\\u0000\"}}}}");
        yield return () => { var id = nextId(); return ("byte order mark", [0xEF, 0xBB, 0xBF, .. Utf8($"{{\"update_id\":{id}}}")], id); };
        yield return () => Id("duplicate keys", nextId(), id => $"{{\"update_id\":{id},\"update_id\":{id},\"message\":null,\"message\":{{}}}}");
        foreach (var kind in UnhandledKinds())
            yield return () =>
            {
                var id = nextId();
                var update = new Update { Id = id };
                kind.SetValue(update, Sample(kind.PropertyType, 0));
                return ($"update kind {kind.Name}", Utf8(JsonSerializer.Serialize(update, JsonBotAPI.Options)), id);
            };
        foreach (var chatType in new[] { ChatType.Group, ChatType.Supergroup, ChatType.Channel, ChatType.Sender })
            yield return () =>
            {
                var id = nextId();
                var update = Start(id, -100_000 - id % 100);
                update.Message!.Chat.Type = chatType;
                return ($"message in a {chatType} chat", Utf8(JsonSerializer.Serialize(update, JsonBotAPI.Options)), id);
            };
        yield return () =>
        {
            var id = nextId();
            var update = Start(id, 80_000_000 + id % 1000);
            update.Message!.From!.IsBot = true;
            return ("message from a bot", Utf8(JsonSerializer.Serialize(update, JsonBotAPI.Options)), id);
        };
    }

    static (string, byte[], int?) Id(string kind, int id, Func<int, string> body) => (kind, Encoding.UTF8.GetBytes(body(id)), id);

    /// <summary>Every kind of update besides private messages and button presses, from Telegram.Bot's own model.</summary>
    static IEnumerable<PropertyInfo> UnhandledKinds() => typeof(Update).GetProperties()
        .Where(p => p.CanWrite && p.Name is not (nameof(Update.Id) or nameof(Update.Message) or nameof(Update.CallbackQuery)) && p.PropertyType.IsClass);

    /// <summary>An instance with every settable property filled in a plausible way, a few levels deep.</summary>
    static object? Sample(Type type, int depth)
    {
        if (type == typeof(string)) return "sample";
        if (type == typeof(long) || type == typeof(long?)) return 42L;
        if (type == typeof(int) || type == typeof(int?)) return 7;
        if (type == typeof(bool) || type == typeof(bool?)) return false;
        if (type == typeof(double) || type == typeof(double?)) return 1.5;
        if (type == typeof(DateTime) || type == typeof(DateTime?)) return DateTime.UtcNow;
        if (Nullable.GetUnderlyingType(type) is { IsEnum: true } e) return Enum.GetValues(e).GetValue(0);
        if (type.IsEnum) return Enum.GetValues(type).GetValue(0);
        if (depth > 2 || type.IsAbstract || type.IsInterface || type.IsArray || type.IsGenericType) return null;
        if (type.GetConstructor(Type.EmptyTypes) is null) return null;
        var instance = Activator.CreateInstance(type)!;
        foreach (var p in type.GetProperties().Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            try { if (Sample(p.PropertyType, depth + 1) is { } value) p.SetValue(instance, value); }
            catch (Exception ex) when (ex is ArgumentException or TargetInvocationException) { }
        }
        return instance;
    }

    static JsonNode? RandomNode(Random random, int depth) => (depth > 6 ? random.Next(4) : random.Next(7)) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(-20, 300))),
        3 => JsonValue.Create(RandomString(random)),
        4 => JsonValue.Create(random.NextInt64(long.MinValue, long.MaxValue)),
        5 => new JsonArray(Enumerable.Range(0, random.Next(5)).Select(_ => RandomNode(random, depth + 1)).ToArray()),
        _ => RandomObject(random, depth + 1),
    };

    static readonly string[] Keys = ["update_id", "message", "text", "chat", "from", "id", "type", "date", "callback_query", "data", "message_id", "edited_message", "entities", "reply_markup", "first_name", "x"];

    static JsonObject RandomObject(Random random, int depth)
    {
        var obj = new JsonObject();
        foreach (var key in Enumerable.Range(0, random.Next(1, 6)).Select(_ => Keys[random.Next(Keys.Length)]).Distinct())
            obj[key] = RandomNode(random, depth + 1);
        return obj;
    }

    static string RandomString(Random random)
    {
        var chars = new char[random.Next(0, 40)];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = (char)random.Next(0, 0xD800); // no lone surrogates: the writer could not encode them
        return new string(chars);
    }

    static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
