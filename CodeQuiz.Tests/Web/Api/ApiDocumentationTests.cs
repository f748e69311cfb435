using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Api;

/// <summary>
/// docs/api.md's table of routes against the app: every route it lists is mapped with the methods it names, every route
/// the app maps is listed (but the console's pages and the files and endpoints Blazor brings), the JSON fields and
/// success statuses a row names are those of the route's OpenAPI description, and a question bank import answers what
/// the page's table of its answers says.
/// </summary>
public partial class ApiDocumentationTests
{
    /// <summary>A row of the table: its routes as "METHOD /path", and the rest of the row.</summary>
    sealed record Row(List<(string Method, string Path)> Routes, string Text);

    static List<Row> Table()
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadAllLines(Path.Combine(Repository.Root, "docs", "api.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = CellBorder().Split(line.Trim().Trim('|'));
            var routes = new List<(string, string)>();
            string[] methods = [];
            var path = "";
            foreach (var part in Quoted().Matches(cells[0]).Select(m => m.Groups[1].Value))
            {
                // `GET /api/events` · `POST …` · `/close` · `.svg` · (or `HEAD`): each goes on from the one before.
                var m = RoutePart().Match(part);
                if (m.Groups["methods"].Success) methods = m.Groups["methods"].Value.Split('/');
                var next = m.Groups["path"].Value.Split('?')[0];
                path = next switch
                {
                    "" or "…" => path,
                    _ when m.Groups["methods"].Success => next,
                    _ when next.StartsWith('.') => path[..path.LastIndexOf('.')] + next,
                    _ => path[..path.LastIndexOf('/')] + next,
                };
                routes.AddRange(methods.Select(method => (method, path)));
            }
            rows.Add(new Row(routes, string.Join(" | ", cells.Skip(1))));
        }
        return rows;
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellBorder();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^(?:(?<methods>[A-Z]+(?:/[A-Z]+)*)(?: |$))?(?<path>\S*)$")]
    private static partial Regex RoutePart();

    /// <summary>
    /// The app's routes, each method once, as the pattern and a regex a documented path must match; "*" for a SignalR
    /// hub, which takes any method. Endpoints that take no method are left out: the 405 answers to the methods a route
    /// does not take, and Blazor's own.
    /// </summary>
    static List<(string Method, string Pattern, Regex Matches, Endpoint Endpoint)> Mapped(CodeQuizFactory factory) =>
        [.. from endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            let pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/')
            // The twins that answer ids too large with 404 are the same routes.
            where !pattern.Contains("toolarge", StringComparison.Ordinal)
            from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods
                ?? (endpoint.Metadata.GetMetadata<HubMetadata>() is not null ? ["*"] : [])
            select (method, pattern, new Regex("^" + Regex.Replace(Regex.Escape(pattern), @"\\\{[^/]*?}", "[^/]+") + "$"), (Endpoint)endpoint)];

    /// <summary>
    /// The mapped routes a documented path is: those it matches with the most literal text, as routing prefers
    /// /api/events to /{botToken}/{method} for GET /api/events.
    /// </summary>
    static List<(string Method, string Pattern, Regex Matches, Endpoint Endpoint)> RoutesOf(string path, List<(string Method, string Pattern, Regex Matches, Endpoint Endpoint)> mapped) =>
        mapped.Where(m => m.Matches.IsMatch(path)).GroupBy(m => Parameter().Replace(m.Pattern, "").Length)
            .MaxBy(g => g.Key)?.ToList() ?? [];

    [GeneratedRegex(@"\{[^}]*}")]
    private static partial Regex Parameter();

    static bool Takes(string mapped, string documented) => mapped == documented || mapped == "*";

    static CodeQuizFactory NewFactory()
    {
        var factory = ApiTesting.NewFactory();
        factory.Settings["Ingest:BaselineEndpoint"] = "true"; // mapped only then, and documented all the same
        return factory;
    }

    [Fact]
    public async Task EveryRouteTheTableListsIsMappedWithTheMethodsItNames()
    {
        await using var factory = NewFactory();
        var mapped = Mapped(factory);
        var table = Table();
        Assert.Contains(table, r => r.Routes.Contains(("POST", "/api/questions/{id}/close"))); // the parsing above at work

        var missing = table.SelectMany(r => r.Routes).Where(r => !RoutesOf(r.Path, mapped).Any(m => Takes(m.Method, r.Method))).ToList();
        Assert.True(missing.Count == 0, "in docs/api.md but not mapped: " + string.Join(", ", missing));
    }

    /// <summary>Not routes of CodeQuiz's own: the console's pages (docs/console.md), the static files, Blazor's hub and framework.</summary>
    static bool IsBlazorOrFiles(Endpoint endpoint, string pattern) =>
        endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
        || endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null
        || pattern.Contains(":file}", StringComparison.Ordinal) // the static files' catch-all, {**path:file}
        || pattern.StartsWith("/_blazor", StringComparison.Ordinal) || pattern.StartsWith("/_framework/", StringComparison.Ordinal);

    [Fact]
    public async Task EveryRouteTheAppMapsIsInTheTable()
    {
        await using var factory = NewFactory();
        var mapped = Mapped(factory);
        var documented = Table().SelectMany(r => r.Routes).SelectMany(d => RoutesOf(d.Path, mapped).Where(m => Takes(m.Method, d.Method))).ToList();
        Assert.Contains(mapped, m => m.Pattern == "/account/logout"); // the console's own endpoints are among those checked
        Assert.DoesNotContain(mapped.Where(m => !IsBlazorOrFiles(m.Endpoint, m.Pattern)), m => m.Pattern == "/account/login");

        var missing = mapped
            .Where(m => !IsBlazorOrFiles(m.Endpoint, m.Pattern))
            .Where(m => m.Method != "HEAD") // every route that takes GET takes HEAD, as the page says once
            .Where(m => !documented.Contains(m))
            .Select(m => $"{m.Method} {m.Pattern}").Distinct().ToList();
        Assert.True(missing.Count == 0, "mapped but not in docs/api.md: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task TheRoutesThePageSaysNeedNoOrganizerAreThoseOpenToAnyone()
    {
        await using var factory = NewFactory();
        var text = File.ReadAllText(Path.Combine(Repository.Root, "docs", "api.md"));
        var sentence = text[text.IndexOf("Every route except", StringComparison.Ordinal)..];
        sentence = sentence[..sentence.IndexOf("needs an organizer", StringComparison.Ordinal)];
        var said = Quoted().Matches(sentence).Select(m => m.Groups[1].Value).Order().ToList();

        // Open to anyone: marked so, or asking for no authorization at all (the sign-out form, which checks its antiforgery token).
        var mapped = Mapped(factory);
        var open = Table().SelectMany(r => r.Routes)
            .Where(d => RoutesOf(d.Path, mapped).Any(m => Takes(m.Method, d.Method)
                && (m.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null
                    || m.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is null)))
            .Select(d => d.Path).Distinct().Order().ToList();
        Assert.Equal(open, said);
    }

    [Fact]
    public async Task TheJsonFieldsAndStatusesARowNamesAreThoseOfItsRoutes()
    {
        await using var factory = NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var description = (await (await client.GetAsync("/api/openapi/v1.json")).ReadJsonAsync());
        var schemas = description.GetProperty("components").GetProperty("schemas");
        var paths = description.GetProperty("paths").EnumerateObject()
            .Select(p => (Matches: new Regex("^" + Regex.Replace(Regex.Escape(p.Name), @"\\\{[^/]*?}", "[^/]+") + "$"), Operations: p.Value)).ToList();

        var wrong = new List<string>();
        foreach (var row in Table())
        {
            var fields = new HashSet<string>();
            var statuses = new HashSet<string>();
            foreach (var (method, path) in row.Routes)
                foreach (var (_, operations) in paths.Where(p => p.Matches.IsMatch(path)))
                    if (operations.TryGetProperty(method.ToLowerInvariant(), out var operation))
                    {
                        if (operation.TryGetProperty("requestBody", out var body))
                            Fields(body, schemas, fields, []);
                        foreach (var response in operation.GetProperty("responses").EnumerateObject())
                        {
                            statuses.Add(response.Name);
                            Fields(response.Value, schemas, fields, []);
                        }
                    }
            // "name" in {"name","language":"en"|"it"}, not the values after : or |; and `extraSeconds` in the text.
            var named = JsonName().Matches(row.Text).Select(m => m.Groups[1].Value)
                .Concat(Quoted().Matches(row.Text).Select(m => m.Groups[1].Value).Where(w => CamelCase().IsMatch(w)));
            wrong.AddRange(named.Where(f => !fields.Contains(f)).Distinct().Select(f => $"{row.Routes[0].Method} {row.Routes[0].Path}: {f}"));
            // A create answers 201 and a delete 204, and a script checking the status needs to be told.
            wrong.AddRange(statuses.Where(s => s is "201" or "204" && !row.Text.Contains(s, StringComparison.Ordinal))
                .Select(s => $"{row.Routes[0].Method} {row.Routes[0].Path}: {s} not stated"));
        }
        Assert.True(wrong.Count == 0, "named in docs/api.md but not in the route's description: " + string.Join(", ", wrong));
    }

    [Fact]
    public async Task TheOpenApiDescriptionNamesTheValuesEachEnumFieldTakes()
    {
        await using var factory = NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var schemas = (await (await client.GetAsync("/api/openapi/v1.json")).ReadJsonAsync()).GetProperty("components").GetProperty("schemas");

        // A client generated from the description sends what it says, and the API takes "kind" and "scoring" by name only.
        string Described(string name) => schemas.GetProperty(name) is var schema
            && schema.TryGetProperty("type", out var type) && schema.TryGetProperty("enum", out var values)
            ? $"{type}: {string.Join(", ", values.EnumerateArray())}" : $"{name} without a type and its names: {schema}";
        Assert.Equal("string: FreeText, MultipleChoice, Numeric", Described("QuestionKind"));
        Assert.Equal("string: CorrectThenDelay, SpeedPoints", Described("ScoringMode"));
        Assert.Equal("string: Draft, Open, Closed", Described("QuestionState"));
    }

    [Fact]
    public async Task TheOpenApiDescriptionSaysAQuestionBankImportTakesTheCsvAsItsBody()
    {
        await using var factory = NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var import = (await (await client.GetAsync("/api/openapi/v1.json")).ReadJsonAsync())
            .GetProperty("paths").GetProperty("/api/events/{eventId}/questions.csv").GetProperty("post");

        // Without it a client generated from the description posts no body, and is told the file is empty.
        Assert.True(import.TryGetProperty("requestBody", out var body), $"no request body in {import}");
        Assert.True(body.GetProperty("required").GetBoolean());
        Assert.Equal("string", body.GetProperty("content").GetProperty("text/csv").GetProperty("schema").GetProperty("type").GetString());
    }

    /// <summary>The rows of the page's table of what a question bank import answers: what the bank is, and the answer.</summary>
    static List<(string Bank, string Answer)> ImportAnswers()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "api.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("**What an import answers**", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/api.md has no table of what an import answers");
        return [.. lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2)
            .Select(l => CellBorder().Split(l.Trim().Trim('|')).Select(c => c.Trim()).ToArray())
            .Select(c => (c[0], c[1]))];
    }

    /// <summary>A bank of each kind the table names, found by how its row begins, and sent to the import.</summary>
    static readonly Dictionary<string, Func<HttpClient, int, Task<HttpResponseMessage>>> Imports = new()
    {
        ["is right on every line"] = (client, eventId) => Import(client, eventId, "kind,prompt,acceptedAnswers\r\nFreeText,Which keyword declares a constant?,const\r\n"),
        ["has a wrong line"] = (client, eventId) => Import(client, eventId,
            "kind,prompt,acceptedAnswers,options,correctOption\r\nFreeText,A,a,,\r\nFreeText,B,b,,\r\nMultipleChoice,Pick one,,x|y,3\r\n"),
        ["names none of the columns"] = (client, eventId) => Import(client, eventId, "FreeText,Which keyword declares a constant?,const\r\n"),
        ["has a header but no questions"] = (client, eventId) => Import(client, eventId, "kind,prompt,acceptedAnswers\r\n"),
        ["holds more than 1,000 questions"] = (client, eventId) => Import(client, eventId,
            "kind,prompt,acceptedAnswers\r\n" + string.Concat(Enumerable.Range(1, 1001).Select(i => $"FreeText,Question {i},{i}\r\n"))),
        ["is not text"] = (client, eventId) => client.PostAsync($"/api/events/{eventId}/questions.csv",
            new ByteArrayContent(OfficeFiles.Xlsx()) { Headers = { { "Content-Type", "text/csv" } } }),
        ["has more than 1,000,000 characters"] = (client, eventId) => Import(client, eventId, OfficeFiles.QuestionBankOfLength(1_000_001)),
        ["comes as a form upload"] = (client, eventId) => client.PostAsync($"/api/events/{eventId}/questions.csv",
            new MultipartFormDataContent { { new StringContent("kind,prompt\r\nFreeText,x\r\n"), "file", "bank.csv" } }),
        ["is sent to an event that does not exist"] = (client, _) => Import(client, 999_999, "kind,prompt,acceptedAnswers\r\nFreeText,x,x\r\n"),
    };

    static Task<HttpResponseMessage> Import(HttpClient client, int eventId, string csv) =>
        client.PostAsync($"/api/events/{eventId}/questions.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

    [Fact]
    public async Task AQuestionBankImportAnswersWhatThePagesTableSays()
    {
        await using var factory = NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var rows = ImportAnswers();
        var wrong = new List<string>();
        wrong.AddRange(rows.Where(r => !Imports.Keys.Any(k => r.Bank.StartsWith(k, StringComparison.Ordinal))).Select(r => $"no bank here for the row \"{r.Bank}\""));
        wrong.AddRange(Imports.Keys.Where(k => !rows.Any(r => r.Bank.StartsWith(k, StringComparison.Ordinal))).Select(k => $"no row for a bank that {k}"));

        foreach (var (bank, answer) in rows)
        {
            if (Imports.FirstOrDefault(i => bank.StartsWith(i.Key, StringComparison.Ordinal)).Value is not { } import) continue;
            // A new event for each: a bank imported for one row would be questions the event already has for the next.
            var eventId = (await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();
            var response = await import(client, eventId);
            var status = int.Parse(Status().Match(answer).Value);
            if ((int)response.StatusCode != status)
            {
                wrong.Add($"a bank that {bank}: {(int)response.StatusCode}, the page says {status}");
                continue;
            }
            if (DocumentedError().Match(answer) is not { Success: true } error) continue;
            // "line 4": ["correctOption: …"]: that line named, a message of it beginning with the text before the "…".
            var body = await response.ReadJsonAsync();
            var key = error.Groups["key"].Value;
            var message = error.Groups["message"].Value;
            var messages = body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(key, out var list)
                ? list.EnumerateArray().Select(m => m.GetString()!).ToList() : [];
            if (!messages.Any(m => message.EndsWith('…') ? m.StartsWith(message[..^1], StringComparison.Ordinal) : m == message))
                wrong.Add($"a bank that {bank}: the page says \"{key}\": [\"{message}\"], the answer has {(messages.Count == 0 ? $"no \"{key}\"" : string.Join(" ", messages))}");
        }
        Assert.True(wrong.Count == 0, "docs/api.md's table of what an import answers: " + string.Join("; ", wrong));
    }

    [GeneratedRegex(@"\b[1-5][0-9]{2}\b")]
    private static partial Regex Status();

    [GeneratedRegex(@"`""(?<key>[^""]+)"": \[""(?<message>[^""]*)""\]`")]
    private static partial Regex DocumentedError();

    [GeneratedRegex(@"(?<![:|]\s*)""([a-z][A-Za-z]*)""")]
    private static partial Regex JsonName();

    [GeneratedRegex("^[a-z]+[A-Z][A-Za-z]*$")]
    private static partial Regex CamelCase();

    /// <summary>Every property name reachable from a part of the description: its schemas, their items and references.</summary>
    static void Fields(JsonElement element, JsonElement schemas, HashSet<string> fields, HashSet<string> seen)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.GetString()!.Split('/')[^1] is var name && seen.Add(name))
                        Fields(schemas.GetProperty(name), schemas, fields, seen);
                    if (property.Name == "properties")
                        foreach (var field in property.Value.EnumerateObject())
                            fields.Add(field.Name);
                    Fields(property.Value, schemas, fields, seen);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Fields(item, schemas, fields, seen);
                break;
        }
    }
}
