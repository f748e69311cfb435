using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Rehearsal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;

namespace CodeQuiz.Tests.Web.Rehearsal;

/// <summary>
/// The simulator's Bot API on an in-memory server of its own, on a fake clock, with Telegram.Bot's client
/// pointed at it. Used where the app's own bot would get in the way (getUpdates, webhook delivery).
/// </summary>
sealed class SimulatorHost : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly CancellationTokenSource _stop = new();
    Task? _delivery;

    SimulatorHost(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Simulator = app.Services.GetRequiredService<TelegramSimulator>();
    }

    public FakeTimeProvider Time { get; }
    public TelegramSimulator Simulator { get; }

    public static async Task<SimulatorHost> StartAsync(Action<RehearsalOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 15, 9, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddOptions<RehearsalOptions>().Configure(o =>
        {
            o.CrowdSize = 0;
            o.CrowdAutoStart = false;
            configure?.Invoke(o);
        });
        builder.Services.AddSingleton<TelegramSimulator>();
        var app = builder.Build();
        app.MapBotApi();
        await app.StartAsync();
        return new SimulatorHost(app, time);
    }

    public TelegramBotClient Bot(string token = TelegramOptions.RehearsalToken) =>
        new(new TelegramBotClientOptions(token, baseUrl: "http://simulator") { RetryThreshold = 0 }, _app.GetTestClient());

    /// <summary>A plain HTTP client for calls Telegram.Bot does not make (forms, query strings).</summary>
    public HttpClient Http() => _app.GetTestClient();

    /// <summary>Starts delivering updates to the webhook, as the app's rehearsal worker does.</summary>
    public void StartDelivery() => _delivery = Simulator.RunWebhookDeliveryAsync(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_delivery is not null) await _delivery;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
