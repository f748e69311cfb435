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
/// the app maps is listed (but the console's pages and the files and endpoints Blazor brings), and the JSON fields and
/// success statuses a row names are those of the route's OpenAPI description.
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
