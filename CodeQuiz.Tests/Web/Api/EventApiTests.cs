using System.Net;
using System.Net.Http.Json;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Tests.Web.Api;

public class EventApiTests
{
    [Fact]
    public async Task AnOrganizerCreatesListsEditsAndDeletesAnEvent()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        var created = await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "it", channelId = "@codeweek_it" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ev = await created.ReadJsonAsync();
        var id = ev.GetProperty("id").GetInt32();
        Assert.Equal($"/api/events/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("it", ev.GetProperty("language").GetString());
        Assert.Equal("CorrectThenDelay", ev.GetProperty("scoring").GetString());

        var list = await (await client.GetAsync("/api/events")).ReadJsonAsync();
        Assert.Equal("Code Week final", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());

        var edited = await client.PutAsJsonAsync($"/api/events/{id}", new { name = "Code Week 2026", language = "en", channelId = "-1001234567890", scoring = "SpeedPoints" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var fetched = await (await client.GetAsync($"/api/events/{id}")).ReadJsonAsync();
        Assert.Equal("Code Week 2026", fetched.GetProperty("name").GetString());
        Assert.Equal("-1001234567890", fetched.GetProperty("channelId").GetString());
        Assert.Equal("SpeedPoints", fetched.GetProperty("scoring").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/events/{id}")).StatusCode);
        await (await client.GetAsync($"/api/events/{id}")).AssertProblemAsync(404);
        await (await client.DeleteAsync($"/api/events/{id}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task AnInvalidEventIsRefusedWithAnErrorAtEachField()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        var response = await client.PostAsJsonAsync("/api/events", new { name = " ", language = "fr", channelId = "Code Week" });
        var problem = await response.AssertProblemAsync(400);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["channelId", "language", "name"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("en, it", errors.GetProperty("language")[0].GetString());

        var badScoring = await client.PostAsJsonAsync("/api/events", new { name = "x", language = "en", scoring = "Fastest" });
        await badScoring.AssertProblemAsync(400);
        // A number, even one that is a scoring mode's, is not its name.
        var numbered = await (await client.PostAsJsonAsync("/api/events", new { name = "x", language = "en", scoring = "1" })).AssertProblemAsync(400);
        Assert.Equal("'scoring' must be one of CorrectThenDelay, SpeedPoints.", numbered.GetProperty("errors").GetProperty("scoring")[0].GetString());
        // A name goes into the bot's welcome and onto the projector as one line; a chat id of 0 or above is no channel.
        foreach (var (name, channelId, field) in new[] { ("Final\nround", "@codeweek", "name"), ("Final\u0000", "@codeweek", "name"), ("Final\u2028round", "@codeweek", "name"), ("Final", "0", "channelId"), ("Final", "123456789", "channelId") })
        {
            var refused = await (await client.PostAsJsonAsync("/api/events", new { name, language = "en", channelId })).AssertProblemAsync(400);
            Assert.Equal([field], refused.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        Assert.Empty((await (await client.GetAsync("/api/events")).ReadJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task UnderDotnetRunTheApiStillNamesTheFieldAtFaultAndShowsNoStackTrace()
    {
        // The README's `dotnet run --project CodeQuiz.Web` starts in Development, where ASP.NET Core shows its developer
        // exception page: a script's unreadable body got a stack trace, its own bearer token echoed, and no `errors`.
        await using var factory = ApiTesting.NewFactory();
        factory.Settings["environment"] = "Development";
        var client = await factory.CreateOrganizerClientAsync();

        var numbered = await client.PostAsync("/api/events", new StringContent("""{"name":"x","language":"en","scoring":0}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await numbered.Content.ReadAsStringAsync();
        var problem = await numbered.AssertProblemAsync(400);
        Assert.Equal("'scoring' must be one of CorrectThenDelay, SpeedPoints.", problem.GetProperty("errors").GetProperty("scoring")[0].GetString());
        Assert.DoesNotContain("Bearer", body);
        Assert.DoesNotContain("exception", body, StringComparison.OrdinalIgnoreCase);

        var badQuery = await (await client.GetAsync("/api/events/1/leaderboard?top=abc")).AssertProblemAsync(400);
        Assert.Equal("'top' must be a whole number (was 'abc').", badQuery.GetProperty("errors").GetProperty("top")[0].GetString());
    }

    [Fact]
    public async Task AnEventNameThatShowsNothingIsRefusedAsAQuestionsPromptIs()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        // Zero-width spaces, a word joiner, a Hangul filler: the projector's title and the bot's welcome would be blank.
        foreach (var name in new[] { "\u200B\u200B", "\u2060", "\u3164" })
        {
            var refused = await (await client.PostAsJsonAsync("/api/events", new { name, language = "en" })).AssertProblemAsync(400);
            Assert.Equal(["name"], refused.GetProperty("errors").EnumerateObject().Select(p => p.Name));
            Assert.Contains("invisible", refused.GetProperty("errors").GetProperty("name")[0].GetString());
        }
        Assert.Empty((await (await client.GetAsync("/api/events")).ReadJsonAsync()).EnumerateArray());
    }

    [Theory]
    [InlineData("https://t.me/codeweek_it", "@codeweek_it")]
    [InlineData("t.me/codeweek_it/42", "@codeweek_it")]
    [InlineData("codeweek_it", "@codeweek_it")]
    [InlineData(" @codeweek_it ", "@codeweek_it")]
    [InlineData("https://t.me/c/1234567890/15", "-1001234567890")]
    [InlineData("-1001234567890", "-1001234567890")]
    public async Task AChannelPastedAsTelegramsAppsCopyItIsStoredAsTheChatItNames(string typed, string stored)
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        var created = await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "it", channelId = typed })).ReadJsonAsync();

        Assert.Equal(stored, created.GetProperty("channelId").GetString());
    }

    [Fact]
    public async Task AnInviteLinkIsRefusedSayingWhatToPasteInstead()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        var response = await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "it", channelId = "https://t.me/+AbCdEf123" });

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Contains("paste the link of a post", errors.GetProperty("channelId")[0].GetString());
    }

    [Fact]
    public async Task AnIdTooLargeToBeOneIsAnsweredAsAnyUnknownIdNotAsAMissingRoute()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        const string Huge = "99999999999", Huger = "99999999999999999999";

        foreach (var (method, path, detail) in new[]
                 {
                     ("GET", "/api/events/12345", "There is no event 12345."), // an id that fits, for comparison
                     ("GET", $"/api/events/{Huge}", $"There is no event {Huge}."),
                     ("PUT", $"/api/events/{Huge}", $"There is no event {Huge}."),
                     ("GET", $"/api/events/{Huge}/questions", $"There is no event {Huge}."),
                     ("POST", $"/api/events/{Huge}/questions", $"There is no event {Huge}."),
                     ("GET", $"/api/events/-{Huge}/leaderboard", $"There is no event -{Huge}."),
                     ("GET", $"/api/events/{Huge}/answers.csv", $"There is no event {Huge}."),
                     ("GET", $"/api/questions/{Huge}", $"There is no question {Huge}."),
                     ("POST", $"/api/questions/{Huge}/open", $"There is no question {Huge}."),
                     ("GET", $"/api/questions/{Huger}/results", $"There is no question {Huger}."),
                     ("POST", "/api/participants/12345/leave-out", "There is no participant 12345."),
                     ("POST", $"/api/participants/{Huger}/leave-out", $"There is no participant {Huger}."),
                 })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
                request.Content = JsonContent.Create(new { name = "Final", language = "en", prompt = "2+2?", kind = "Numeric", numericAnswer = 4 });
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal(detail, (await response.AssertProblemAsync(404)).GetProperty("detail").GetString());
        }
        // Not a number at all: that address is no route.
        Assert.Contains("no such API route", (await (await client.GetAsync("/api/events/final")).AssertProblemAsync(404)).GetProperty("detail").GetString());
        await (await factory.CreateClient().GetAsync($"/api/events/{Huge}")).AssertProblemAsync(401);
    }

    [Fact]
    public async Task AGetOnAPostOnlyRouteIsToldTheRouteTakesPostRatherThanThatItIsMissing()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = (await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var questionId = (await (await client.PostAsJsonAsync($"/api/events/{eventId}/questions", new { prompt = "2+2?", kind = "Numeric", numericAnswer = 4 }))
            .ReadJsonAsync()).GetProperty("id").GetInt32();

        foreach (var (method, path) in new[]
                 {
                     ("GET", $"/api/questions/{questionId}/open"), ("GET", $"/api/questions/{questionId}/close"), ("GET", $"/api/questions/{questionId}/reopen"), ("GET", $"/api/questions/{questionId}/withdraw"), ("GET", "/api/auth/login"),
                     ("HEAD", $"/api/questions/{questionId}/open"), ("DELETE", $"/api/questions/{questionId}/open"),
                     ("GET", $"/api/events/{eventId}/start-over"),
                 })
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal(["POST"], response.Content.Headers.Allow);
            if (method != "HEAD")
                Assert.Equal($"This address does not take {method}; it takes POST.", (await response.AssertProblemAsync(405)).GetProperty("detail").GetString());
        }
        // Nothing was opened by the GET.
        Assert.Equal("Draft", (await (await client.GetAsync($"/api/questions/{questionId}")).ReadJsonAsync()).GetProperty("state").GetString());
        // Someone not signed in learns no more about the route than about any other.
        await (await factory.CreateClient().GetAsync($"/api/questions/{questionId}/open")).AssertProblemAsync(401);
    }

    [Fact]
    public async Task HeadOnAGetRouteAnswersAsTheGetDoesWithoutABody()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = (await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var questionId = (await (await client.PostAsJsonAsync($"/api/events/{eventId}/questions", new { prompt = "2+2?", kind = "Numeric", numericAnswer = 4 }))
            .ReadJsonAsync()).GetProperty("id").GetInt32();
        var anonymous = factory.CreateClient();

        // curl -I, an uptime monitor, a link checker: found, not found, not signed in, all as the GET would be told.
        foreach (var (asker, path, status) in new[]
                 {
                     (client, "/api/events", 200), (client, $"/api/events/{eventId}", 200), (client, $"/api/events/{eventId}/questions", 200),
                     (client, $"/api/questions/{questionId}", 200), (client, $"/api/questions/{questionId}/results", 200),
                     (client, $"/api/events/{eventId}/leaderboard", 200), (client, $"/api/events/{eventId}/answers.csv", 200),
                     (client, $"/api/events/{eventId}/questions.csv", 200), (client, "/api/openapi/v1.json", 200),
                     (client, "/api/events/999", 404), (client, "/api/events/999/questions.csv", 404), (client, "/api/events/99999999999", 404),
                     (client, "/api/nothing-here", 404),
                     (anonymous, "/api/events", 401), (anonymous, $"/api/events/{eventId}/answers.csv", 401),
                     (client, $"/api/events/{eventId}/leaderboard.csv", 200), (client, $"/api/events/{eventId}/team-leaderboard.csv", 200),
                     (anonymous, $"/api/events/{eventId}/leaderboard.csv", 401), (anonymous, $"/api/events/{eventId}/team-leaderboard.csv", 401),
                 })
        {
            var get = await asker.GetAsync(path);
            var head = await asker.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

            Assert.True((int)get.StatusCode == status, $"GET {path}: {(int)get.StatusCode}");
            Assert.True((int)head.StatusCode == status, $"HEAD {path}: {(int)head.StatusCode}");
            Assert.Equal(Headers(get), Headers(head));
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }

        // Routes that take GET say they take HEAD too; those that do not, do not.
        var patch = await client.PatchAsJsonAsync($"/api/events/{eventId}", new { name = "Renamed" });
        Assert.Equal(["DELETE", "GET", "HEAD", "PUT"], patch.Content.Headers.Allow.Order());
        Assert.Equal("This address does not take PATCH; it takes DELETE, GET, HEAD, PUT.", (await patch.AssertProblemAsync(405)).GetProperty("detail").GetString());
        var headOnPost = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/questions/{questionId}/open"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, headOnPost.StatusCode);
        Assert.Equal(["POST"], headOnPost.Content.Headers.Allow);
        Assert.Empty(await headOnPost.Content.ReadAsByteArrayAsync());
        Assert.Equal("Draft", (await (await client.GetAsync($"/api/questions/{questionId}")).ReadJsonAsync()).GetProperty("state").GetString());
        // The description lists each route once, by its GET.
        var paths = (await (await client.GetAsync("/api/openapi/v1.json")).ReadJsonAsync()).GetProperty("paths");
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/api/", StringComparison.Ordinal) && p.Value.TryGetProperty("head", out _));
        Assert.True(paths.GetProperty("/api/events/{id}").TryGetProperty("get", out _));
    }

    /// <summary>The headers a HEAD must share with its GET: all but the date and the body's length.</summary>
    static List<string> Headers(HttpResponseMessage response) =>
        [.. response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Content-Length"))
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order()];

    [Fact]
    public async Task AWrongMethodOrContentTypeIsToldSoRatherThanThatTheRouteIsMissing()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var id = (await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();

        var patch = await client.PatchAsJsonAsync($"/api/events/{id}", new { name = "Renamed" });
        var wrongMethod = await patch.AssertProblemAsync(405);
        Assert.Contains("PUT", patch.Content.Headers.Allow);
        Assert.StartsWith("This address does not take PATCH; it takes DELETE, GET", wrongMethod.GetProperty("detail").GetString());

        // curl -d without -H sends a form; a text/plain body or none at all is no better.
        const string json = """{"name":"Typed","language":"en"}""";
        foreach (var content in new HttpContent[]
                 {
                     new StringContent(json, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
                     new StringContent(json, System.Text.Encoding.UTF8, "text/plain"),
                     new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(json)),
                 })
        {
            var problem = await (await client.PostAsync("/api/events", content)).AssertProblemAsync(415);
            Assert.Contains("application/json", problem.GetProperty("detail").GetString());
        }
        var anonymous = factory.CreateClient();
        var login = await anonymous.PostAsync("/api/auth/login", new StringContent($$"""{"email":"{{ApiTesting.Email}}","password":"{{ApiTesting.Password}}"}""", System.Text.Encoding.UTF8, "text/plain"));
        await login.AssertProblemAsync(415); // not "sign in first"
        Assert.Equal(["Final"], (await (await client.GetAsync("/api/events")).ReadJsonAsync()).EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AFieldGivenTwiceIsRefusedNamingItRatherThanOneOfItsValuesTakenSilently()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        // A script that builds its JSON by hand, or merges two objects: which of the two did it mean?
        foreach (var (path, json, field) in new[]
                 {
                     ("/api/events", """{"name":"Final","language":"en","name":"Rehearsal"}""", "name"),
                     ("/api/events", """{"name":"Final","scoring":"SpeedPoints","language":"en","scoring":"CorrectThenDelay"}""", "scoring"),
                 })
        {
            var problem = await (await client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"))).AssertProblemAsync(400);
            Assert.Equal([$"'{field}' is given more than once; send each field once."],
                problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
        }

        Assert.Empty((await (await client.GetAsync("/api/events")).ReadJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task ABodyNotSentAsJsonToARouteWithAnIdIsRefusedWith415NotToldTheRouteIsMissing()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = (await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var questionId = (await (await client.PostAsJsonAsync($"/api/events/{eventId}/questions", new { prompt = "2+2?", kind = "Numeric", numericAnswer = 4 }))
            .ReadJsonAsync()).GetProperty("id").GetInt32();

        // curl -d without -H sends a form; -X PUT with --data-binary and a file may say text/plain; forgetting -d sends no type at all.
        foreach (var (method, path, json) in new[]
                 {
                     ("PUT", $"/api/events/{eventId}", """{"name":"Renamed","language":"en"}"""),
                     ("POST", $"/api/events/{eventId}/questions", """{"prompt":"3+3?","kind":"Numeric","numericAnswer":6}"""),
                     ("PUT", $"/api/events/{eventId}/questions/order", $$"""{"questionIds":[{{questionId}}]}"""),
                     ("PUT", $"/api/questions/{questionId}", """{"prompt":"3+3?","kind":"Numeric","numericAnswer":6}"""),
                     ("POST", $"/api/questions/{questionId}/extend", """{"seconds":30}"""),
                 })
            foreach (var contentType in new[] { "application/x-www-form-urlencoded", "text/plain", null })
            {
                var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(json));
                if (contentType is not null)
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content });
                Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{method} {path} ({contentType ?? "no Content-Type"}): {(int)response.StatusCode}");
                Assert.Contains("application/json", (await response.AssertProblemAsync(415)).GetProperty("detail").GetString());
            }

        Assert.Equal("Final", (await (await client.GetAsync($"/api/events/{eventId}")).ReadJsonAsync()).GetProperty("name").GetString());
        Assert.Equal(["2+2?"], (await (await client.GetAsync($"/api/events/{eventId}/questions")).ReadJsonAsync()).EnumerateArray().Select(q => q.GetProperty("prompt").GetString()));
    }

    [Theory]
    [InlineData("/api/events")]
    [InlineData("/api/auth/login")]
    public async Task ABodyInACharsetThatIsNoEncodingIsRefusedWith415NotAServerError(string path)
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("""{"name":"Typed","language":"en"}"""));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=bogus");

        var problem = await (await client.PostAsync(path, content)).AssertProblemAsync(415);

        Assert.Equal("The charset 'bogus' of the body is not one CodeQuiz reads; send it as UTF-8 (Content-Type: application/json; charset=utf-8).",
            problem.GetProperty("detail").GetString());
        Assert.Empty((await (await client.GetAsync("/api/events")).ReadJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task TheChannelCheckSaysWhetherTheBotCanPostToTheEventsChannel()
    {
        var telegram = new StubBotApi()
            .Answer("getChat", """{"id":-1001234567890,"type":"channel","title":"Code Week","accent_color_id":0,"max_reaction_count":11}""")
            .Answer("getMe", """{"id":777,"is_bot":true,"first_name":"CodeQuiz","username":"codequiz_bot"}""")
            .Answer("getChatMember", """{"status":"administrator","user":{"id":777,"is_bot":true,"first_name":"CodeQuiz"},"can_be_edited":false,"can_post_messages":false}""");
        await using var factory = ApiTesting.NewFactory();
        factory.ConfigureServices = services => services.AddSingleton(new ChannelCheck(telegram.Client(), Options.Create(new OutboxOptions())));
        var client = await factory.CreateOrganizerClientAsync();
        var withChannel = (await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en", channelId = "@codeweek" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var without = (await (await client.PostAsJsonAsync("/api/events", new { name = "Dry run", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();

        var check = await client.GetAsync($"/api/events/{withChannel}/channel-check");
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var body = await check.ReadJsonAsync();
        Assert.Equal("@codeweek", body.GetProperty("channelId").GetString());
        Assert.False(body.GetProperty("canPost").GetBoolean());
        Assert.StartsWith("The bot is an administrator of “Code Week” but may not post there", body.GetProperty("message").GetString());
        Assert.Equal(["getChat", "getMe", "getChatMember"], telegram.Calls);

        var noChannel = await (await client.GetAsync($"/api/events/{without}/channel-check")).AssertProblemAsync(409);
        Assert.Contains("has no results channel", noChannel.GetProperty("detail").GetString());
        await (await client.GetAsync("/api/events/999/channel-check")).AssertProblemAsync(404);
        Assert.Equal(3, telegram.Calls.Count); // neither asked Telegram anything
    }

    [Fact]
    public async Task RegeneratingThePresenterTokenRetiresTheOldOne()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var ev = await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync();
        var id = ev.GetProperty("id").GetInt32();
        var before = ev.GetProperty("presenterToken").GetString();

        var after = await (await client.PostAsync($"/api/events/{id}/presenter-token", null)).ReadJsonAsync();

        Assert.NotEqual(before, after.GetProperty("presenterToken").GetString());
        Assert.Equal(after.GetProperty("presenterToken").GetString(), (await (await client.GetAsync($"/api/events/{id}")).ReadJsonAsync()).GetProperty("presenterToken").GetString());
        await (await client.PostAsync("/api/events/999/presenter-token", null)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task APresenterLinkAndTheSignInPageAnswerAMonitorsHeadAsTheirGet()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var token = (await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync()).GetProperty("presenterToken").GetString();
        var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });

        foreach (var (path, status) in new[] { ($"/present/{token}", HttpStatusCode.OK), ("/account/login", HttpStatusCode.OK), ("/present/retired", HttpStatusCode.Gone) })
        {
            var get = await anonymous.GetAsync(path);
            var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal((path, status), (path, get.StatusCode));
            Assert.Equal((path, status), (path, head.StatusCode));
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
        // A page that needs an organizer sends a monitor to sign in, as it sends a browser.
        var console = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.Redirect, console.StatusCode);
        Assert.StartsWith("/account/login", console.Headers.Location?.OriginalString.Replace("http://localhost", ""));
    }

    [Fact]
    public async Task AClosesTimeInsideTheServerIsLoggedOnceItIsOnDisk()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = ApiTesting.NewFactory();
        factory.ConfigureServices = services => services.AddLogging(b => b.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
        var client = await factory.CreateOrganizerClientAsync();
        var id = (await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var questionId = (await (await client.PostAsJsonAsync($"/api/events/{id}/questions",
            new { prompt = "Which language has goroutines?", kind = "FreeText", acceptedAnswers = new[] { "Go" } })).ReadJsonAsync()).GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{questionId}/open", null)).StatusCode);
        string[] Took() => [.. logs.Entries.Where(e => e.Category == typeof(CodeQuiz.Core.Ingest.BatchWriter).FullName && e.Text.Contains("'s close was on disk")).Select(e => e.Text)];
        Assert.Empty(Took()); // an open is not timed

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{questionId}/close", null)).StatusCode);

        // Logged before the close is answered: the writer logs it as the close is on disk, then tells the request.
        var took = Assert.Single(Took());
        Assert.Matches($@"^Question {questionId}'s close was on disk \d+ \+ \d+ \+ \d+ ms after it was asked for: in the writer's queue, ranking and writing, then committing and flushing ", took);
        Assert.Equal(LogLevel.Information, logs.Entries.Single(e => e.Text == took).Level);
    }

    [Fact]
    public async Task StartingAnEventOverPutsItsQuestionsBackToDraftAndIsRefusedWhileOneIsOpen()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var id = (await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var question = await (await client.PostAsJsonAsync($"/api/events/{id}/questions",
            new { prompt = "Which language has goroutines?", kind = "FreeText", acceptedAnswers = new[] { "Go" } })).ReadJsonAsync();
        var questionId = question.GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{questionId}/open", null)).StatusCode);

        var whileOpen = await (await client.PostAsync($"/api/events/{id}/start-over", null)).AssertProblemAsync(409);
        Assert.Contains("Question 1 is open", whileOpen.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{questionId}/close", null)).StatusCode);

        var started = await client.PostAsync($"/api/events/{id}/start-over", null);

        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var body = await started.ReadJsonAsync();
        Assert.Equal((id, 1, 0), (body.GetProperty("eventId").GetInt32(), body.GetProperty("questions").GetInt32(), body.GetProperty("answersDeleted").GetInt32()));
        var after = await (await client.GetAsync($"/api/questions/{questionId}")).ReadJsonAsync();
        Assert.Equal("Draft", after.GetProperty("state").GetString());
        Assert.Equal(question.GetProperty("code").GetString(), after.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{questionId}/open", null)).StatusCode);
        await (await client.PostAsync("/api/events/999/start-over", null)).AssertProblemAsync(404);
    }
}
