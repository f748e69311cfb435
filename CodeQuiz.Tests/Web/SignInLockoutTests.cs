using System.Net;
using System.Net.Http.Json;
using CodeQuiz.Tests.Components;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Tests.Web.Api;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// Wrong passwords lock out the address they come from, not the account: someone typing an organizer's email with
/// wrong passwords during the show must not keep the organizer, on their own machine, out of the console. Requests come
/// through a reverse proxy on this machine (a real loopback connection with X-Forwarded-For), as in production.
/// </summary>
public sealed class SignInLockoutTests : IDisposable
{
    const string Attacker = "203.0.113.7", Organizer = "198.51.100.20";

    readonly CodeQuizFactory _factory = new();
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 15, 17, 0, 0, TimeSpan.Zero));
    readonly HttpClient _http;

    public SignInLockoutTests()
    {
        _factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        _factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        _factory.ConfigureServices = services => services.AddSingleton<TimeProvider>(_time);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
    }

    public void Dispose()
    {
        _http.Dispose();
        _factory.Dispose();
    }

    /// <summary>POST /api/auth/login as the proxy forwards it from <paramref name="forwardedFor"/>.</summary>
    async Task<HttpResponseMessage> ApiLoginAsync(string forwardedFor, string email, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await _http.SendAsync(request);
    }

    /// <summary>The console's sign-in form, read and sent from <paramref name="forwardedFor"/> as a browser would.</summary>
    async Task<HttpResponseMessage> ConsoleLoginAsync(string forwardedFor, string password)
    {
        var page = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        page.Headers.Add("X-Forwarded-For", forwardedFor);
        var form = await _http.SendAsync(page);
        var html = await form.Content.ReadAsStringAsync();
        var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = ConsoleClient.HiddenField(html, "__RequestVerificationToken"),
                ["_handler"] = ConsoleClient.HiddenField(html, "_handler"),
                ["Input.Email"] = ConsoleClient.Email,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("X-Forwarded-For", forwardedFor);
        // The antiforgery cookie of the page just read, as the browser would send it back.
        post.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        return await _http.SendAsync(post);
    }

    static async Task AssertLockedOutAsync(HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(401);
        Assert.Equal("Locked out", problem.GetProperty("title").GetString());
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task WrongPasswordsFromAnotherAddressDoNotKeepTheOrganizerOutOfTheConsole()
    {
        for (var i = 0; i < 10; i++)
            await ConsoleLoginAsync(Attacker, $"guess-{i}");

        var organizer = await ConsoleLoginAsync(Organizer, ConsoleClient.Password);
        var attacker = await ConsoleLoginAsync(Attacker, ConsoleClient.Password);

        Assert.Equal(HttpStatusCode.Redirect, organizer.StatusCode);
        Assert.Contains(organizer.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        // The guesser's address stays shut out, even with the right password.
        Assert.Equal(HttpStatusCode.OK, attacker.StatusCode);
        Assert.Contains("Too many failed attempts from this address", await attacker.Content.ReadAsStringAsync());
        Assert.DoesNotContain(attacker.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongPasswordsFromAnotherAddressDoNotKeepTheOrganizerOutOfTheApi()
    {
        for (var i = 0; i < 4; i++)
            await (await ApiLoginAsync(Attacker, ConsoleClient.Email, $"guess-{i}")).AssertProblemAsync(401);
        await AssertLockedOutAsync(await ApiLoginAsync(Attacker, ConsoleClient.Email, "guess-4"));

        var organizer = await ApiLoginAsync(Organizer, ConsoleClient.Email, ConsoleClient.Password);

        Assert.Equal(HttpStatusCode.OK, organizer.StatusCode);
        Assert.False(string.IsNullOrEmpty((await organizer.ReadJsonAsync()).GetProperty("accessToken").GetString()));
        await AssertLockedOutAsync(await ApiLoginAsync(Attacker, ConsoleClient.Email, ConsoleClient.Password));
    }

    [Fact]
    public async Task AnAddressGuessingAcrossAccountsIsLockedOutOfAllOfThem()
    {
        for (var i = 0; i < 19; i++)
            await (await ApiLoginAsync(Attacker, $"someone-{i}@codeweek.example", "guess")).AssertProblemAsync(401);
        await AssertLockedOutAsync(await ApiLoginAsync(Attacker, "someone-19@codeweek.example", "guess"));

        // Not even an account it never tried, with its right password, until the lock ends.
        await AssertLockedOutAsync(await ApiLoginAsync(Attacker, ConsoleClient.Email, ConsoleClient.Password));
        Assert.Equal(HttpStatusCode.OK, (await ApiLoginAsync(Organizer, ConsoleClient.Email, ConsoleClient.Password)).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await ApiLoginAsync(Attacker, ConsoleClient.Email, ConsoleClient.Password)).StatusCode);
    }

    [Fact]
    public async Task AnAddressThatSignedInToAnAccountKeepsItsWayInWhenOthersFromThereGuessOtherAccounts()
    {
        // The organizer and a crowd behind the venue's one address: the crowd's guesses lock the address, not the organizer.
        Assert.Equal(HttpStatusCode.OK, (await ApiLoginAsync(Attacker, ConsoleClient.Email, ConsoleClient.Password)).StatusCode);
        for (var i = 0; i < 25; i++)
            await ApiLoginAsync(Attacker, $"someone-{i}@codeweek.example", "guess");

        await AssertLockedOutAsync(await ApiLoginAsync(Attacker, "someone-else@codeweek.example", "guess"));
        Assert.Equal(HttpStatusCode.OK, (await ApiLoginAsync(Attacker, ConsoleClient.Email, ConsoleClient.Password)).StatusCode);
    }

    [Fact]
    public async Task TheLockEndsAfterFiveMinutes()
    {
        for (var i = 0; i < 5; i++)
            await ApiLoginAsync(Attacker, ConsoleClient.Email, $"guess-{i}");

        _time.Advance(TimeSpan.FromMinutes(4));
        var during = await ApiLoginAsync(Attacker, ConsoleClient.Email, ConsoleClient.Password);
        Assert.Equal(TimeSpan.FromMinutes(1), during.Headers.RetryAfter?.Delta);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await ApiLoginAsync(Attacker, ConsoleClient.Email, ConsoleClient.Password)).StatusCode);
    }

    [Fact]
    public async Task AnAddressMadeUpInFrontOfTheProxysDoesNotEscapeTheLock()
    {
        // What nginx forwards when the client sends an X-Forwarded-For of its own: its made-up one, then the real one.
        for (var i = 0; i < 5; i++)
            await ApiLoginAsync($"192.0.2.{i + 1}, {Attacker}", ConsoleClient.Email, $"guess-{i}");

        await AssertLockedOutAsync(await ApiLoginAsync($"192.0.2.99, {Attacker}", ConsoleClient.Email, ConsoleClient.Password));
    }

    [Fact]
    public async Task AnIPv6ClientCountsByItsNetworkNotByEachAddressInIt()
    {
        for (var i = 0; i < 5; i++)
            await ApiLoginAsync($"2001:db8:1:2::{i + 1:x}", ConsoleClient.Email, $"guess-{i}");

        await AssertLockedOutAsync(await ApiLoginAsync("2001:db8:1:2:ffff::1", ConsoleClient.Email, ConsoleClient.Password));
        Assert.Equal(HttpStatusCode.OK, (await ApiLoginAsync("2001:db8:1:3::1", ConsoleClient.Email, ConsoleClient.Password)).StatusCode);
    }
}
