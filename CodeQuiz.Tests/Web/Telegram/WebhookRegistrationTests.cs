using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using CodeQuiz.Web.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
}
