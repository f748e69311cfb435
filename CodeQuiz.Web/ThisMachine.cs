using System.Net;

namespace CodeQuiz.Web;

/// <summary>Whether a request comes from the machine CodeQuiz runs on.</summary>
public static class ThisMachine
{
    /// <summary>
    /// A loopback caller or one on the server's own address. Through a proxy on this machine the address is the forwarded
    /// client's, so a visitor from the internet is not taken for a local one. No address at all is an in-process caller
    /// (a test server, a Unix socket).
    /// </summary>
    public static bool IsCaller(HttpContext context)
    {
        // Forwarding headers still there were not believed (a proxy that reaches the app on this machine's own network
        // address rather than loopback): the request came through a proxy, and the client is elsewhere.
        if (context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("Forwarded"))
            return false;
        var connection = context.Connection;
        if (connection.RemoteIpAddress is not { } remote)
            return true;
        return IPAddress.IsLoopback(Plain(remote)) || Plain(remote).Equals(connection.LocalIpAddress is { } local ? Plain(local) : null);
    }

    /// <summary>On a socket taking IPv4 and IPv6, both addresses of a connection come as IPv4-mapped IPv6 ones.</summary>
    static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
