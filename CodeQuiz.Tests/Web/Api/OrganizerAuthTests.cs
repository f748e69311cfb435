using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Components;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web;
using CodeQuiz.Web.Organizers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeQuiz.Tests.Web.Api;

public class OrganizerAuthTests
{
    [Fact]
    public async Task LoginWithTheBootstrapOrganizerGivesABearerTokenThatOpensTheApi()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = factory.CreateClient();

        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiTesting.Email, password = ApiTesting.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.ReadJsonAsync();
        var token = body.GetProperty("accessToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        Assert.True(body.GetProperty("expiresIn").GetInt32() > 0);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/openapi/v1.json")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var openApi = await client.GetAsync("/api/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        await (await client.GetAsync("/api/no-such-route")).AssertProblemAsync(404);
        var description = await openApi.ReadJsonAsync();
        Assert.True(description.GetProperty("paths").TryGetProperty("/api/events/{eventId}/leaderboard", out _));
        Assert.Equal("bearer", description.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task ARefreshTokenGivesANewAccessToken()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = factory.CreateClient();
        var login = await (await client.PostAsJsonAsync("/api/auth/login", new { email = ApiTesting.Email, password = ApiTesting.Password })).ReadJsonAsync();

        var refreshed = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.False(string.IsNullOrEmpty((await refreshed.ReadJsonAsync()).GetProperty("accessToken").GetString()));

        var forged = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-token" });
        await forged.AssertProblemAsync(401);
    }

    [Fact]
    public async Task AnExpiredOrForgedAccessTokenIsToldToGetANewOneNotToSignInFirst()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 10, 15, 18, 0, 0, TimeSpan.Zero));
        await using var factory = ApiTesting.NewFactory();
        factory.ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        var client = await factory.CreateOrganizerClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/events")).StatusCode);

        time.Advance(TimeSpan.FromMinutes(61)); // an hour into the show
        var expired = await (await client.GetAsync("/api/events")).AssertProblemAsync(401);
        Assert.Contains("The access token was not accepted", expired.GetProperty("detail").GetString());
        Assert.Contains("POST /api/auth/refresh", expired.GetProperty("detail").GetString());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        var forged = await (await client.GetAsync("/api/events")).AssertProblemAsync(401);
        Assert.Contains("The access token was not accepted", forged.GetProperty("detail").GetString());

        client.DefaultRequestHeaders.Authorization = null;
        var none = await (await client.GetAsync("/api/events")).AssertProblemAsync(401);
        Assert.StartsWith("Sign in first", none.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithAProblemAndAMissingFieldWithAValidationProblem()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = factory.CreateClient();

        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiTesting.Email, password = "Wrong-Password-1" });
        await wrong.AssertProblemAsync(401);

        var missing = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiTesting.Email });
        var problem = await missing.AssertProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));

        var garbage = await client.PostAsync("/api/auth/login", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        await garbage.AssertProblemAsync(400);
    }

    [Fact]
    public async Task ALoginBodyFarLargerThanAnEmailAndAPasswordIsRefusedUnread()
    {
        await using var factory = ApiTesting.NewFactory();
        using var client = new HttpClient { BaseAddress = new Uri(factory.StartOnKestrel()) };

        var huge = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiTesting.Email, password = new string('x', 64 * 1024) });
        await huge.AssertProblemAsync(413);
        var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = new string('x', 64 * 1024) });
        await refresh.AssertProblemAsync(413);

        // The console's sign-in form, posted as a browser would, with its antiforgery token.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = client.BaseAddress };
        var page = await browser.GetStringAsync("/account/login");
        var form = await browser.PostAsync("/account/login", new FormUrlEncodedContent([
            new("__RequestVerificationToken", ConsoleClient.HiddenField(page, "__RequestVerificationToken")), new("_handler", "login"),
            new("Input.Email", ApiTesting.Email), new("Input.Password", new string('x', 64 * 1024))]));
        // The antiforgery check reads the form first, and a form stopped at the limit fails it: refused before any password is hashed.
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);

        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiTesting.Email, password = ApiTesting.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task TheConsolesSignInCookieAlsoOpensTheApiAndNoCookieGetsA401NotARedirect()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        var console = new ConsoleClient(factory);

        await (await console.Http.GetAsync("/api/events")).AssertProblemAsync(401);
        var signedIn = await console.LoginAsync();
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var events = await console.Http.GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-site")] // a page on a neighbouring subdomain, which SameSite=Lax lets the cookie go to
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "http://events.localhost")] // a browser without Sec-Fetch-Site
    public async Task AChangeThroughTheApiWithTheConsolesCookieIsRefusedWhenAnotherSitePostedIt(string header, string value)
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        var console = new ConsoleClient(factory);
        await console.LoginAsync();
        var created = await (await console.Http.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en" })).ReadJsonAsync();
        var id = created.GetProperty("id").GetInt32();
        var token = created.GetProperty("presenterToken").GetString();

        using var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{id}/presenter-token");
        forged.Headers.Add(header, value);
        await (await console.Http.SendAsync(forged)).AssertProblemAsync(403);
        Assert.Equal(token, (await (await console.Http.GetAsync($"/api/events/{id}")).ReadJsonAsync()).GetProperty("presenterToken").GetString());

        // The console's own page, and a script with a bearer token whatever it says it is, are taken.
        using var own = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{id}/presenter-token");
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.OK, (await console.Http.SendAsync(own)).StatusCode);
        var script = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = ConsoleClient.Email, password = ConsoleClient.Password });
        using var bearer = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{id}/presenter-token");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await script.ReadJsonAsync()).GetProperty("accessToken").GetString());
        bearer.Headers.Add(header, value);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().SendAsync(bearer)).StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswordsFromOneAddressLockItOutEvenWithTheRightPassword()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = factory.CreateClient();

        for (var i = 0; i < 5; i++)
            await (await client.PostAsJsonAsync("/api/auth/login", new { email = ApiTesting.Email, password = $"Wrong-Password-{i}" })).AssertProblemAsync(401);

        var right = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiTesting.Email, password = ApiTesting.Password });
        var problem = await right.AssertProblemAsync(401);
        Assert.Equal("Locked out", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task EveryApiRouteExceptLoginRefusesAnAnonymousCallerWithProblemDetails()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var routes = factory.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .ToList();
        // Distinct: a route's wrong methods are answered by an endpoint of their own, as open as the route.
        var anonymous = routes.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.RoutePattern.RawText).Distinct().Order().ToList();
        Assert.Equal(["/api/auth/login", "/api/auth/refresh"], anonymous);

        var checkedRoutes = 0;
        foreach (var endpoint in routes.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            // An id too large to be one has routes of its own, which answer it as an unknown id.
            var path = System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!, @"\{[^}]+\}",
                id => id.Value.Contains(":toolarge", StringComparison.Ordinal) ? "99999999999999999999" : "1");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                    request.Content = JsonContent.Create(new { });
                var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
                if (method == "HEAD")
                    Assert.Empty(await response.Content.ReadAsByteArrayAsync()); // the problem's headers, without its body
                else
                    await response.AssertProblemAsync(401);
                checkedRoutes++;
            }
        }
        Assert.True(checkedRoutes >= 1);
    }

    [Fact]
    public async Task BootstrapCreatesTheFirstOrganizerOnlyOnce()
    {
        await using var first = ApiTesting.NewFactory();
        await first.CreateOrganizerClientAsync();

        await using var second = new CodeQuizFactory();
        second.Settings["Database:ConnectionString"] = $"Data Source={first.DatabasePath}";
        second.Settings["Bootstrap:OrganizerEmail"] = "someone.else@codequiz.test";
        second.Settings["Bootstrap:OrganizerPassword"] = "Another-Password-2";
        second.CreateClient();

        await using var scope = second.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuizDbContext>();
        Assert.Equal([ApiTesting.Email], await db.Users.Select(u => u.Email).ToListAsync());
    }

    [Fact]
    public async Task ARefusedBootstrapPasswordStopsStartUpNamingTheSetting()
    {
        // Program turns this exception into one line on stderr and exit code 1, so it is checked at the start-up step itself.
        await using var factory = new CodeQuizFactory();
        factory.CreateClient();
        var settings = new BootstrapOptions { OrganizerEmail = ApiTesting.Email, OrganizerPassword = "short" };
        var bootstrap = new OrganizerBootstrap(factory.Services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Options.Options.Create(settings), new FirstRunCode(), NullLogger<OrganizerBootstrap>.Instance);

        var error = await Assert.ThrowsAsync<InvalidConfigurationException>(() => bootstrap.CreateFirstOrganizerAsync(CancellationToken.None));
        Assert.StartsWith("Bootstrap:OrganizerPassword was refused", error.Message);
    }

    [Fact]
    public void ABootstrapEmailWithoutAPasswordIsAConfigurationError()
    {
        var options = new BootstrapOptions { OrganizerEmail = ApiTesting.Email };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.StartsWith("Bootstrap:OrganizerPassword", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFirstOrganizerCanBeCreatedOnlyWhileNoneExists()
    {
        await using var factory = new CodeQuizFactory();
        factory.CreateClient();
        await using var scope = factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<OrganizerAccounts>();

        Assert.False(await accounts.AnyAsync());
        var weak = await accounts.CreateFirstAsync("first@codequiz.test", "weak");
        Assert.False(weak.Succeeded);
        Assert.False(await accounts.AnyAsync());

        Assert.True((await accounts.CreateFirstAsync("first@codequiz.test", "First-Organizer-1")).Succeeded);
        Assert.True(await accounts.AnyAsync());
        var again = await accounts.CreateFirstAsync("second@codequiz.test", "Second-Organizer-1");
        Assert.Equal(OrganizerAccounts.AlreadyExists.Code, Assert.Single(again.Errors).Code);
    }
}
