using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using CodeQuiz.Web.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;

namespace CodeQuiz.Tests.Web.Telegram;

public class WebhookRegistrationTests
{
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
        Assert.Contains("deleted by someone else with this bot's token", factory.Services.GetRequiredService<BotStatus>().LastError);
    }
}
