using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CodeQuiz.Tests.Components;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// Who can reach what: every endpoint the app maps, called anonymously, refuses (401, 403 or the login page)
/// unless it is public on purpose; console forms need their antiforgery token; the bot token never shows
/// in logs or pages, even when Telegram fails.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public sealed partial class AccessTests(ITestOutputHelper output)
{
    /// <summary>Public on purpose, with the reason.</summary>
    static readonly (Regex Pattern, string Why)[] Public =
    [
        (new("^/healthz$"), "health probe"),
        (new("^/account/(login|first-run)$"), "sign-in and the one-time first-run page"),
        (new("^/api/auth/(login|refresh)$"), "API sign-in (refresh needs a valid refresh token)"),
        (new("^/present/"), "the presenter link: its token is the key"),
        (new("^/hubs/live"), "the presenter's live hub: subscribing needs a presenter token"),
        (new("^/(not-found|Error)$"), "status and error pages"),
        (new("^/_blazor"), "the Blazor circuit: pages check authorization when they render"),
        (new("^/_framework/"), "framework scripts"),
    ];

    static bool IsStaticAsset(Endpoint endpoint, string pattern) =>
        endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal))
        || pattern.Contains(":file}", StringComparison.Ordinal) || Regex.IsMatch(pattern, @"\.[A-Za-z0-9]{1,5}$");

    [Fact]
    public async Task EveryEndpointRefusesAnAnonymousCallerUnlessItIsPublicOnPurpose()
    {
        await using var factory = new CodeQuizFactory();
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var checkedRoutes = new List<string>();
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (IsStaticAsset(endpoint, pattern)) continue;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
            var path = SampleRoute().Replace(pattern, match =>
                match.Groups[1].Value == "botToken" ? "bot123456:not-the-simulators-token" // the rehearsal Bot API
                : match.Groups[2].Value.Contains("toolarge") ? "99999999999999999999" // an id no event or participant can have
                : match.Groups[2].Value.Contains("int") || match.Groups[2].Value.Contains("long") ? "1" : "sample");
            var isPublic = Public.FirstOrDefault(p => p.Pattern.IsMatch(pattern));
            foreach (var method in methods)
            {
                if (method == "OPTIONS") continue;
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var location = response.Headers.Location?.OriginalString ?? "";
                checkedRoutes.Add($"{method} {pattern} → {status}{(location.Length > 0 ? " " + location : "")}{(isPublic.Why is { } why ? $" (public: {why})" : "")}");
                if (status >= 500)
                    problems.Add($"{method} {pattern}: {status}");
                else if (isPublic.Why is null && !Refused(response, endpoint))
                    problems.Add($"{method} {pattern}: an anonymous caller got {status} {location}");
            }
        }
        output.WriteLine(string.Join("\n", checkedRoutes));

        Assert.True(checkedRoutes.Count >= 10, $"only {checkedRoutes.Count} routes found");
        Assert.Empty(problems);
    }

    /// <summary>401/403, 405, the login page, or a form refused for want of its antiforgery token.</summary>
    static bool Refused(HttpResponseMessage response, Endpoint endpoint)
    {
        var status = (int)response.StatusCode;
        if (status is 401 or 403) return true;
        // A method the route does not take: only the methods it does are told.
        if (status is 405 && response.Content.Headers.Allow.Count > 0) return true;
        if (status is 302 && response.Headers.Location?.OriginalString.Contains("/account/login", StringComparison.OrdinalIgnoreCase) == true) return true;
        return status == 400 && endpoint.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true };
    }

    [GeneratedRegex(@"\{(\*{0,2}[A-Za-z0-9_]+)(:[^}?]*)?\??\}")]
    private static partial Regex SampleRoute();

    [Theory]
    [InlineData("/account/login", "Input.Email", "organizer@codeweek.example")]
    [InlineData("/account/first-run", "Input.Email", "someone@codeweek.example")]
    [InlineData("/account/logout", "x", "y")]
    public async Task AConsoleFormPostedWithoutItsAntiforgeryTokenIsRefused(string path, string field, string value)
    {
        await using var factory = new CodeQuizFactory();
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = new FormUrlEncodedContent([new(field, value), new("Input.Password", "Quiz-night-2026"), new("Input.ConfirmPassword", "Quiz-night-2026"), new("_handler", path.Contains("login") ? "login" : "first-run")]);

        var response = await client.PostAsync(path, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970")));
    }

    [Fact]
    public async Task FiveWrongPasswordsInTheConsoleLockTheirAddressOutEvenWithTheRightPassword()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        var console = new ConsoleClient(factory);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await console.LoginAsync(password: "wrong-password-" + i)).StatusCode);
        var response = await console.LoginAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, with the lockout message; no redirect into the console
        Assert.Contains("lock", (await response.Content.ReadAsStringAsync()).ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Redirect, (await console.Http.GetAsync("/bot")).StatusCode);
    }

    [Fact]
    public async Task TheBotTokenNeverAppearsInLogsOrPagesEvenWhenTelegramFails()
    {
        const string token = "7000000004:LEAKtestTOKEN_qZ9xW8vU7tS6rR5";
        const string secret = "leak-secret_0123456789";
        await using var telegram = await FakeBotApi.StartAsync();
        var logs = new CapturingLoggerProvider();
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:Mode"] = "Webhook";
        factory.Settings["Telegram:BotToken"] = token;
        factory.Settings["Telegram:WebhookUrl"] = "https://quiz.example.org/telegram/webhook";
        factory.Settings["Telegram:SecretToken"] = secret;
        factory.Settings["Telegram:ApiBaseUrl"] = telegram.BaseUrl;
        factory.Settings["Outbox:PerChatIntervalSeconds"] = "0";
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        factory.ConfigureServices = services => services.AddLogging(b => b.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));

        // Telegram fails in every way it can: the first getMe and setWebhook calls, then each send once.
        var failures = new ConcurrentDictionary<string, int>();
        telegram.Intercept = (call, context) =>
        {
            var n = failures.AddOrUpdate(call.Method + call.ChatId, 1, (_, v) => v + 1);
            IResult? result = (call.Method, n) switch
            {
                ("getMe", 1) => FakeBotApi.Error(500, "Internal Server Error"),
                ("setWebhook", 1) => FakeBotApi.Error(401, "Unauthorized"),
                ("sendMessage", 1) when call.ChatId!.EndsWith('1') => FakeBotApi.Error(429, "Too Many Requests: retry after 1", 1),
                ("sendMessage", 1) when call.ChatId!.EndsWith('2') => FakeBotApi.Error(403, "Forbidden: bot was blocked by the user"),
                ("sendMessage", 1) when call.ChatId!.EndsWith('3') => FakeBotApi.Error(400, "Bad Request: chat not found"),
                ("sendMessage", 1) when call.ChatId!.EndsWith('4') => Abort(context),
                ("sendMessage", 1) => FakeBotApi.Error(502, "Bad Gateway"),
                _ => null,
            };
            return Task.FromResult(result);
        };
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var updates = new TelegramUpdates(client, secret);
        for (var user = 30_000_001L; user <= 30_000_010L; user++)
            await updates.SendAsync(user, "/start");

        var until = DateTime.UtcNow.AddSeconds(30);
        while (telegram.Delivered.Count(c => c.Method == "sendMessage") < 9 && DateTime.UtcNow < until)
            await Task.Delay(100);
        var pages = new List<string>();
        foreach (var path in new[] { "/Error", "/not-found", "/bot", "/account/login", "/healthz", "/api/events", "/telegram/webhook" })
            pages.Add(await (await client.GetAsync(path)).Content.ReadAsStringAsync());
        var console = new ConsoleClient(factory);
        await console.LoginAsync();
        pages.Add(await console.GetHtmlAsync("/bot"));

        var secretPart = token[(token.IndexOf(':') + 1)..];
        var entries = logs.Entries.ToList();
        output.WriteLine($"{entries.Count} log entries, {entries.Count(e => e.Level >= LogLevel.Warning)} warnings or errors; Bot API calls {telegram.Calls.Count}");
        Assert.True(telegram.Tokens.ContainsKey(token), "the app talked to the fake Telegram with the token");
        Assert.Contains(entries, e => e.Level >= LogLevel.Warning && e.Category.Contains("Outbox"));
        Assert.Contains(entries, e => e.Level >= LogLevel.Warning && e.Category.Contains("WebhookRegistration"));
        Assert.DoesNotContain(entries, e => e.Text.Contains(secretPart, StringComparison.Ordinal));
        Assert.DoesNotContain(pages, p => p.Contains(secretPart, StringComparison.Ordinal));
    }

    static IResult Abort(HttpContext context)
    {
        context.Abort();
        return Results.Empty;
    }
}
