using System.Net;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// CodeQuiz behind a reverse proxy on the same machine that ends TLS (docs/running-an-event.md, "Running behind HTTPS"): the console's
/// redirects must lead to the public https address, not to the plain address the proxy talks to.
/// </summary>
public sealed class ReverseProxyTests : IDisposable
{
    readonly CodeQuizFactory _factory = new();
    readonly HttpClient _http;

    public ReverseProxyTests()
    {
        _factory.UseKestrel(0); // a real loopback connection, as from nginx on the same machine
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    }

    public void Dispose()
    {
        _http.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task ARedirectKeepsThePublicHttpsAddressTheProxyForwarded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "quiz.example.org");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://quiz.example.org/account/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task WithoutAProxyTheAddressIsTheOneAsked()
    {
        using var response = await _http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(_http.BaseAddress!.ToString().TrimEnd('/') + "/account/", response.Headers.Location!.ToString());
    }
}
