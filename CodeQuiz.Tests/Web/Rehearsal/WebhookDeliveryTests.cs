using System.Collections.Concurrent;
using CodeQuiz.Web.Rehearsal;
using Microsoft.AspNetCore.Http;
using Telegram.Bot;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Tests.Web.Rehearsal;

public class WebhookDeliveryTests
{
    static readonly SimUser Ada = new(4242, "Ada"), Bob = new(4343, "<b>Bob</b>");

    [Fact]
    public async Task UpdatesArriveWithTheSecretHeaderAndIdsIncreasingByOne()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimulatorHost.StartAsync();
        host.StartDelivery();
        await host.Bot().SetWebhook(receiver.Url, secretToken: "rehearsal-secret");

        var sent = new[] { host.Simulator.SendText(Ada, "/start ABC"), host.Simulator.SendText(Ada, "42"), host.Simulator.SendText(Ada, "43") };
        // The simulator counts an update delivered once the receiver's answer is back, after the receiver saw it.
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveredUpdates.Count == 3);

        Assert.Equal(sent.Select(u => u.Id), receiver.Received.Select(r => r.Update.Id));
        Assert.Equal([sent[0].Id, sent[0].Id + 1, sent[0].Id + 2], sent.Select(u => u.Id));
        Assert.All(receiver.Received, r => Assert.Equal("rehearsal-secret", r.Secret));
        Assert.Equal("/start ABC", receiver.Received.First().Update.Message!.Text);
        Assert.Equal(sent.Select(u => u.Id), host.Simulator.DeliveredUpdates.Select(u => u.Id));
        Assert.Equal(0, (await host.Bot().GetWebhookInfo()).PendingUpdateCount);
    }

    [Fact]
    public async Task AFailingWebhookIsRetriedWithBackOffAndTheUpdateStaysPendingMeanwhile()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimulatorHost.StartAsync();
        var failures = 2;
        receiver.Respond = (_, _) => Task.FromResult(Interlocked.Decrement(ref failures) >= 0 ? Results.StatusCode(500) : Results.Ok());
        host.StartDelivery();
        await host.Bot().SetWebhook(receiver.Url);

        var update = host.Simulator.SendText(Ada, "my answer");
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveryAttempts.Count == 1);
        var info = await host.Bot().GetWebhookInfo();
        Assert.Equal(1, info.PendingUpdateCount);
        Assert.Equal("Wrong response from the webhook: 500 Internal Server Error", info.LastErrorMessage);
        Assert.NotNull(info.LastErrorDate);

        host.Time.Advance(TimeSpan.FromSeconds(1)); // first back-off: 1 s
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveryAttempts.Count == 2);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, host.Simulator.DeliveryAttempts.Count); // second back-off: 2 s
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveryAttempts.Count == 3);

        Assert.True(host.Simulator.DeliveryAttempts[^1].Succeeded);
        Assert.Equal([update.Id, update.Id, update.Id], receiver.Received.Select(r => r.Update.Id));
        Assert.Equal(0, (await host.Bot().GetWebhookInfo()).PendingUpdateCount);
        Assert.Equal(update.Id, Assert.Single(host.Simulator.DeliveredUpdates).Id);
    }

    [Fact]
    public async Task ARetryAfterHeaderFromTheWebhookIsHonoured()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimulatorHost.StartAsync();
        var first = true;
        receiver.Respond = (_, context) =>
        {
            if (!first) return Task.FromResult(Results.Ok());
            first = false;
            context.Response.Headers.RetryAfter = "30";
            return Task.FromResult(Results.StatusCode(503));
        };
        host.StartDelivery();
        await host.Bot().SetWebhook(receiver.Url);

        host.Simulator.SendText(Ada, "hello");
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveryAttempts.Count == 1);
        host.Time.Advance(TimeSpan.FromSeconds(29));
        await Task.Yield();
        Assert.Single(host.Simulator.DeliveryAttempts);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveryAttempts.Count == 2);
        Assert.True(host.Simulator.DeliveryAttempts[1].Succeeded);
    }

    [Fact]
    public async Task OneChatHasOneRequestInFlightAndKeepsItsOrderWhileOtherChatsGoOn()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimulatorHost.StartAsync();
        var release = new TaskCompletionSource();
        receiver.Respond = async (update, _) =>
        {
            if (update.Message?.Text == "ada 1") await release.Task;
            return Results.Ok();
        };
        host.StartDelivery();
        await host.Bot().SetWebhook(receiver.Url, maxConnections: 10);

        host.Simulator.SendText(Ada, "ada 1");
        host.Simulator.SendText(Ada, "ada 2");
        host.Simulator.SendText(Bob, "bob 1");
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveredUpdates.Any(u => u.Message!.Text == "bob 1"));
        Assert.DoesNotContain(receiver.Received, r => r.Update.Message!.Text == "ada 2");

        release.SetResult();
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveredUpdates.Count == 3);
        var adas = receiver.Received.Select(r => r.Update.Message!.Text).Where(t => t!.StartsWith("ada")).ToList();
        Assert.Equal(["ada 1", "ada 2"], adas);
        Assert.Equal("ada 2", receiver.Received.Last().Update.Message!.Text);
    }

    [Fact]
    public async Task NoMoreThanMaxConnectionsRequestsAreInFlight()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimulatorHost.StartAsync();
        var arrived = new ConcurrentQueue<int>();
        var release = new TaskCompletionSource();
        receiver.Respond = async (update, _) =>
        {
            arrived.Enqueue(update.Id);
            await release.Task;
            return Results.Ok();
        };
        host.StartDelivery();
        await host.Bot().SetWebhook(receiver.Url, maxConnections: 2);

        for (var i = 0; i < 6; i++)
            host.Simulator.SendText(new SimUser(20_000 + i, $"User {i}"), "hello");
        await host.Simulator.WaitUntilAsync(() => arrived.Count == 2);
        await Task.Delay(100); // a third request would have had time to arrive
        Assert.Equal(2, arrived.Count);

        release.SetResult();
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveredUpdates.Count == 6);
        Assert.Equal(2, receiver.MaxInFlight);
    }

    [Fact]
    public async Task AnUnreachableWebhookKeepsTheUpdatesAndReportsTheError()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.StartDelivery();
        await host.Bot().SetWebhook("http://127.0.0.1:9/telegram/webhook");
        host.Simulator.SendText(Ada, "anyone there?");
        await host.Simulator.WaitUntilAsync(() => host.Simulator.DeliveryAttempts.Count == 1);
        var info = await host.Bot().GetWebhookInfo();
        Assert.Equal(1, info.PendingUpdateCount);
        Assert.Equal("Connection refused", info.LastErrorMessage);

        // Switching to polling hands the kept updates to getUpdates.
        await host.Bot().DeleteWebhook();
        Assert.Equal("anyone there?", Assert.Single(await host.Bot().GetUpdates()).Message!.Text);
    }

    [Fact]
    public async Task AMethodInTheWebhookResponseIsExecutedAsOnTelegram()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await SimulatorHost.StartAsync();
        receiver.Respond = (update, _) => Task.FromResult(Results.Json(new
        {
            method = "sendMessage",
            chat_id = update.Message!.Chat.Id,
            text = "Recorded: <b>42</b>",
            parse_mode = "HTML",
            reply_markup = new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("Undo", "u")]]),
        }));
        host.StartDelivery();
        await host.Bot().SetWebhook(receiver.Url);

        host.Simulator.SendText(Ada, "42");
        await host.Simulator.WaitUntilAsync(() => host.Simulator.BotMessages(Ada.Id).Count == 1);
        var reply = host.Simulator.BotMessages(Ada.Id)[0];
        Assert.Equal("Recorded: 42", reply.Text);
        Assert.Equal("u", reply.Buttons.Single().CallbackData);
    }
}
