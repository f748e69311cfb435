using System.Net;
using CodeQuiz.Tests.Components;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// Methods nobody here takes (TRACE, WebDAV's PROPFIND, OPTIONS, a made-up one) and control characters in an address
/// get a 4xx that says why: 405 with the methods the address takes, never a 5xx, an empty body or the request echoed.
/// </summary>
public sealed class OddRequestTests : IAsyncLifetime
{
    readonly CodeQuizFactory _factory = new();
    ConsoleClient _organizer = null!;
    const string Echo = "echo-me-and-you-leak-it";

    public async Task InitializeAsync()
    {
        _factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        _factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        _organizer = new ConsoleClient(_factory);
        Assert.Equal(HttpStatusCode.Redirect, (await _organizer.LoginAsync()).StatusCode);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public static TheoryData<string, string, string> OddMethods()
    {
        var data = new TheoryData<string, string, string>();
        (string Path, string Allow)[] addresses =
        [
            ("/", "GET, HEAD, POST"), ("/bot", "GET, HEAD, POST"), ("/account/login", "GET, HEAD, POST"),
            ("/telegram/webhook", "POST"), ("/api/events", "GET, HEAD, POST"), ("/healthz", "GET, HEAD"),
        ];
        foreach (var method in new[] { "TRACE", "PROPFIND", "OPTIONS", "FOO" })
            foreach (var (path, allow) in addresses)
                data.Add(method, path, allow);
        return data;
    }

    [Theory]
    [MemberData(nameof(OddMethods))]
    public async Task AMethodTheAddressDoesNotTakeGets405WithItsMethodsAndAReason(string method, string path, string allow)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Echo", Echo);

        var response = await _organizer.Http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Contains($"This address does not take {method}; it takes {allow}.", body);
        Assert.DoesNotContain(Echo, body);
        Assert.DoesNotContain(Echo, response.Headers.ToString() + response.Content.Headers);
    }

    [Theory]
    [InlineData("TRACE")]
    [InlineData("FOO")]
    public async Task AnOddMethodToTheApiWithoutSigningInIsAskedToSignInFirst(string method)
    {
        var response = await _factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/events"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Sign in first", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/account/login?ReturnUrl=%00", HttpStatusCode.OK)]
    [InlineData("/?q=%00%1F%7F", HttpStatusCode.OK)]
    [InlineData("/healthz?x=%00", HttpStatusCode.OK)]
    [InlineData("/api/events?x=%00", HttpStatusCode.OK)]
    [InlineData("/events/%01", HttpStatusCode.NotFound)]
    [InlineData("/%7F", HttpStatusCode.NotFound)]
    [InlineData("/login?ReturnUrl=%00", HttpStatusCode.NotFound)]
    public async Task AControlCharacterInTheQueryOrAPathBesidesNulIsReadAsAnyOtherText(string address, HttpStatusCode status)
    {
        var response = await _organizer.Http.GetAsync(address);

        Assert.Equal(status, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ASignInWhoseReturnAddressHoldsAControlCharacterReturnsToTheEventList()
    {
        var client = new ConsoleClient(_factory);

        var response = await client.LoginAsync(page: "/account/login?ReturnUrl=%2F%00%0D%0ASet-Cookie:x=1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", ConsoleClient.RedirectTarget(response));
    }

    [Theory]
    [InlineData("/%00")]
    [InlineData("/api/events/%00")]
    [InlineData("/telegram/webhook%00")]
    public async Task ANulInThePathIsRefusedBy400BeforeTheAppReadsIt(string path)
    {
        // Kestrel itself refuses it (the test host's client will not even send it), so only the status is ours to check.
        await using var factory = new CodeQuizFactory();
        using var http = new HttpClient { BaseAddress = new Uri(factory.StartOnKestrel()) };

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
