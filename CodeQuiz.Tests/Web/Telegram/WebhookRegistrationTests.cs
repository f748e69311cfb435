using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using CodeQuiz.Web.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Tests.Web.Telegram;

public class WebhookRegistrationTests
{
    [Fact]
    public async Task TheWebhookAsksForMessagesTheirEditsAndButtonPresses()
    {
        await using var factory = new CodeQuizFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        await simulator.WaitUntilAsync(() => simulator.Status.WebhookUrl is not null, TimeSpan.FromSeconds(20));

        var info = await factory.Services.GetRequiredService<ITelegramBotClient>().GetWebhookInfo();

        // An edit is asked for only to say it changes nothing: a participant may edit a refused answer and think it counted.
        Assert.Equal(new[] { UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery }.Order(), info.AllowedUpdates!.Order());
    }

    [Fact]
    public async Task AWebhookDeletedBySomethingElseWithTheBotsTokenIsRegisteredAgainWithinAMinute()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new CodeQuizFactory { ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)) };
        factory.UseKestrel(0); // the rehearsal's webhook is the app's own address
        factory.StartServer();
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        await simulator.WaitUntilAsync(() => simulator.Status.WebhookUrl is not null, TimeSpan.FromSeconds(20));
        var registered = simulator.Status.WebhookUrl;

        // A copy of the app in Polling mode on someone's laptop, with this bot's token, starts: it deletes the webhook.
        await factory.Services.GetRequiredService<ITelegramBotClient>().DeleteWebhook();
        Assert.Null(simulator.Status.WebhookUrl);
        // Minutes pass (on the app's clock) until its next look at getWebhookInfo.
        await simulator.WaitUntilAsync(() =>
        {
            if (simulator.Status.WebhookUrl is not null) return true;
            time.Advance(TimeSpan.FromMinutes(1));
            return false;
        }, TimeSpan.FromSeconds(20));
        Assert.Equal(registered, simulator.Status.WebhookUrl);
        Assert.Contains("deleted by something else with this bot's token", factory.Services.GetRequiredService<BotStatus>().LastError);
    }

    [Fact]
    public async Task AWebhookMovedToAnotherAddressIsLeftThereAndTheStatusPageSaysSo()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new CodeQuizFactory { ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)) };
        factory.UseKestrel(0);
        factory.StartServer();
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        await simulator.WaitUntilAsync(() => simulator.Status.WebhookUrl is not null, TimeSpan.FromSeconds(20));
        var status = factory.Services.GetRequiredService<BotStatus>();

        // A new deployment (or a staging copy) registers its own address: taking it back would make the two fight.
        const string Elsewhere = "https://quiz-new.example.org/telegram/webhook";
        await factory.Services.GetRequiredService<ITelegramBotClient>().SetWebhook(Elsewhere);
        await simulator.WaitUntilAsync(() =>
        {
            if (status.LastError?.Contains("now points to " + Elsewhere) == true) return true;
            time.Advance(TimeSpan.FromMinutes(1));
            return false;
        }, TimeSpan.FromSeconds(20));

        Assert.Equal(Elsewhere, simulator.Status.WebhookUrl);
    }

    [Fact]
    public async Task ACallCutShortByTheAppStoppingIsNoTroubleWithTelegram()
    {
        // Ctrl+C in the first seconds of a rehearsal: the simulator goes away while the bot is still being registered.
        var logs = new CapturingLoggerProvider();
        var telegram = new GoneWhenStopping();
        await using var factory = new CodeQuizFactory
        {
            ConfigureServices = s =>
            {
                s.AddLogging(b => b.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
                s.Replace(ServiceDescriptor.Singleton<ITelegramBotClient>(sp =>
                {
                    telegram.Lifetime = sp.GetRequiredService<IHostApplicationLifetime>();
                    return new TelegramBotClient(new TelegramBotClientOptions("123456:stub-token") { RetryThreshold = 0 }, new HttpClient(telegram));
                }));
                // Registered last, stopped first: the registration's own stop comes a moment after the app began stopping.
                s.AddHostedService<SlowToStop>();
            },
        };
        factory.StartServer();
        var lifetime = factory.Services.GetRequiredService<IHostApplicationLifetime>();
        var status = factory.Services.GetRequiredService<BotStatus>();
        await telegram.Called.WaitAsync(TimeSpan.FromSeconds(20)); // getMe is on its way

        await factory.DisposeAsync();

        Assert.True(lifetime.ApplicationStopped.IsCancellationRequested);
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains("Talking to Telegram failed"));
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task TelegramOutOfReachReadsAsASentenceOnTheStatusPageAndInTheLog()
    {
        var logs = new CapturingLoggerProvider();
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now: the connection is refused
        await using var factory = new CodeQuizFactory
        {
            ConfigureServices = s => s.AddLogging(b => b.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace)),
        };
        factory.Settings["Telegram:Mode"] = "Webhook";
        factory.Settings["Telegram:BotToken"] = "7000000005:outOfReachTOKEN_a1b2c3";
        factory.Settings["Telegram:WebhookUrl"] = "https://quiz.example.org/telegram/webhook";
        factory.Settings["Telegram:SecretToken"] = "out-of-reach-secret_0123456789";
        factory.Settings["Telegram:ApiBaseUrl"] = $"http://127.0.0.1:{port}";
        factory.StartServer();
        var status = factory.Services.GetRequiredService<BotStatus>();

        // The status page is told first, then the log is written: wait for both.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((status.LastError is null || !logs.Entries.Any(e => e.Text.Contains(" Retrying in "))) && DateTime.UtcNow < deadline)
            await Task.Delay(50);

        Assert.StartsWith("Talking to Telegram failed: ", status.LastError);
        Assert.EndsWith(".", status.LastError);
        Assert.DoesNotContain("..", status.LastError);
        Assert.Contains(logs.Entries, e => e.Text.StartsWith(status.LastError + " Retrying in 1 s."));
    }

    /// <summary>Telegram's calls wait, and fail as a refused connection once the app stops, as the simulator's do then.</summary>
    sealed class GoneWhenStopping : HttpMessageHandler
    {
        readonly TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IHostApplicationLifetime? Lifetime { get; set; }

        public Task Called => _called.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var stopping = new TaskCompletionSource();
            using var _ = Lifetime!.ApplicationStopping.Register(() => stopping.TrySetResult());
            _called.TrySetResult();
            await stopping.Task.WaitAsync(cancellationToken);
            throw new HttpRequestException("Connection refused");
        }
    }

    sealed class SlowToStop : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.Delay(500, CancellationToken.None);
    }
}
