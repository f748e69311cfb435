using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace CodeQuiz.Tests.Web.Rehearsal;

/// <summary>A bot's webhook on a real Kestrel port that answers as each test scripts it (fail on purpose, stall, reply).</summary>
sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    int _inFlight;

    WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Every request received, in arrival order, with its secret header.</summary>
    public ConcurrentQueue<(Update Update, string? Secret)> Received { get; } = new();

    public int MaxInFlight { get; private set; }

    /// <summary>Decides the response to each update; 200 by default.</summary>
    public Func<Update, HttpContext, Task<IResult>> Respond { get; set; } = (_, _) => Task.FromResult(Results.Ok());

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/telegram/webhook", async (HttpContext context) =>
        {
            var now = Interlocked.Increment(ref receiver._inFlight);
            lock (receiver) receiver.MaxInFlight = Math.Max(receiver.MaxInFlight, now);
            try
            {
                var update = (await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options))!;
                receiver.Received.Enqueue((update, context.Request.Headers["X-Telegram-Bot-Api-Secret-Token"].FirstOrDefault()));
                return await receiver.Respond(update, context);
            }
            finally
            {
                Interlocked.Decrement(ref receiver._inFlight);
            }
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/telegram/webhook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
