using System.Net;
using CodeQuiz.Web;
using Microsoft.AspNetCore.Http;

namespace CodeQuiz.Tests.Web;

/// <summary>Who counts as a caller on the server itself: the first-run page and the rehearsal Bot API open to them alone.</summary>
public class ThisMachineTests
{
    static HttpContext Request(string remote, string local, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = IPAddress.Parse(local);
        foreach (var (name, value) in headers)
            context.Request.Headers[name] = value;
        return context;
    }

    [Fact]
    public void ABrowserOnTheServerIsOnThisMachineOnLoopbackOrTheServersOwnAddress()
    {
        Assert.True(ThisMachine.IsCaller(Request("127.0.0.1", "127.0.0.1")));
        Assert.True(ThisMachine.IsCaller(Request("::ffff:192.168.1.10", "::ffff:192.168.1.10")));
        Assert.False(ThisMachine.IsCaller(Request("192.168.1.20", "192.168.1.10")));
    }

    [Fact]
    public void AVisitorThroughAProxyThatReachesTheAppOnTheServersOwnAddressIsNot()
    {
        // nginx on the server with proxy_pass http://192.168.1.10:5000: the connection is the server's own, and its
        // X-Forwarded-For, not from loopback, was not believed; the visitor is elsewhere all the same.
        Assert.False(ThisMachine.IsCaller(Request("192.168.1.10", "192.168.1.10", ("X-Forwarded-For", "203.0.113.7"))));
        Assert.False(ThisMachine.IsCaller(Request("127.0.0.1", "127.0.0.1", ("Forwarded", "for=203.0.113.7"))));
    }
}
