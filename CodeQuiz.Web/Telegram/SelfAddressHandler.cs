using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CodeQuiz.Web.Telegram;

/// <summary>
/// In Rehearsal mode the Bot API is the app itself, and its port is known only once Kestrel listens.
/// The bot client is built with a placeholder host; this handler points each call at the real address.
/// </summary>
public sealed class SelfAddressHandler(AppAddress address) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && address.Current is { } self)
            request.RequestUri = new UriBuilder(uri) { Scheme = self.Scheme, Host = self.Host, Port = self.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The address this app listens on, as a loopback URL other parts of the app (and the simulator) can call.</summary>
public sealed class AppAddress(IServer server)
{
    Uri? _current;

    public Uri? Current => _current ??= Resolve();

    Uri? Resolve()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var chosen = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses?.FirstOrDefault();
        if (chosen is null) return null;
        chosen = chosen.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://[::1]");
        return Uri.TryCreate(chosen, UriKind.Absolute, out var uri) ? uri : null;
    }
}
