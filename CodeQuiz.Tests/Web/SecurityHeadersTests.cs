using System.Net;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Tests.Web.Live;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// Every response forbids content sniffing and keeps its address out of the Referer sent to other sites; console pages
/// refuse to be framed by another site, the presenter and its overlay (embedded by streaming studios) do not.
/// </summary>
public sealed class SecurityHeadersTests : IAsyncLifetime
{
    readonly CodeQuizFactory _factory = new();
    HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("/account/first-run", HttpStatusCode.OK)]
    [InlineData("/events/1", HttpStatusCode.Redirect)] // to the login page
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/api/events", HttpStatusCode.Unauthorized)]
    public async Task AConsoleResponseMayNotBeSniffedFramedOrLeakItsAddress(string path, HttpStatusCode status)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?overlay=1")]
    public async Task ThePresenterAndItsOverlayMayBeFramedButKeepTheirTokenToThemselves(string query)
    {
        var seed = await new PresenterSeed(_factory).CreateAsync();

        using var response = await _http.GetAsync($"/present/{seed.Token}{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Null(Header(response, "X-Frame-Options"));
        Assert.Null(Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task TelegramsWebhookAnswersWithoutThem()
    {
        using var response = await _http.PostAsync("/telegram/webhook", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode); // no secret: refused, yet answered
        Assert.Null(Header(response, "X-Content-Type-Options"));
        Assert.Null(Header(response, "X-Frame-Options"));
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
