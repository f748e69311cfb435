using Bunit;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Components.Pages.Rehearsal;
using CodeQuiz.Web.Rehearsal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Tests.Components.Rehearsal;

public class RehearsalPageTests : ConsoleTestBase
{
    static readonly SimUser Ada = new(4242, "Ada", "Lovelace");

    TelegramSimulator Simulator { get; }

    public RehearsalPageTests() =>
        Simulator = new TelegramSimulator(Options.Create(new RehearsalOptions { CrowdSize = 3, CrowdSeed = 1, Channels = ["@cw_final"] }),
            Time, NullLogger<TelegramSimulator>.Instance);

    BunitContext Context()
    {
        var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddSingleton(Simulator);
        return ctx;
    }

    Task Bot(string method, params (string Key, string Value)[] parameters) =>
        Simulator.ExecuteAsync(TelegramOptions.RehearsalToken, method,
            BotApiParameters.From(parameters.Select(p => KeyValuePair.Create(p.Key, p.Value))), CancellationToken.None);

    [Fact]
    public async Task RehearsalPage_ShowsTheChannelAsTelegramWouldWithEditsApplied()
    {
        await Bot("sendMessage", ("chat_id", "@cw_final"), ("text", "<b>Question 1</b> is open · answers: 0"), ("parse_mode", "HTML"));
        await Bot("editMessageText", ("chat_id", "@cw_final"), ("message_id", "1"), ("text", "<b>Question 1</b> is open · answers: 12"), ("parse_mode", "HTML"));
        await using var ctx = Context();

        var cut = ctx.Render<RehearsalPage>();

        var post = cut.Find("[data-testid=channel] [data-testid=tg-message]");
        Assert.Contains("answers: 12", post.TextContent);
        Assert.DoesNotContain("answers: 0", post.TextContent);
        Assert.Equal("Question 1", post.QuerySelector("b")!.TextContent);
        Assert.NotNull(post.QuerySelector("[data-testid=tg-edited]"));
    }

    [Fact]
    public async Task RehearsalPage_WithNoChannelSaysHowToGetOneForTheRehearsal()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddSingleton(new TelegramSimulator(Options.Create(new RehearsalOptions { CrowdSize = 0 }), Time, NullLogger<TelegramSimulator>.Instance));

        var cut = ctx.Render<RehearsalPage>();

        // Not "appears when the bot first posts": the bot never posts for an event without a channel.
        Assert.Equal("No channel yet: give an event a results channel in its settings (any @name will do in a rehearsal, such as @codeweek_test) and its posts show here.",
            cut.Find("[data-testid=no-channel]").TextContent);
    }

    [Fact]
    public async Task RehearsalPage_BeforeTheFirstPostNamesTheEventsChannelInsteadOfAskingForOne()
    {
        var quizEvent = await SeedEventAsync(FreeText());
        await using (var db = await Db.CreateDbContextAsync())
        {
            await db.Events.Where(e => e.Id == quizEvent.Id).ExecuteUpdateAsync(e => e.SetProperty(x => x.ChannelId, "@codeweek_live"));
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddSingleton(new TelegramSimulator(Options.Create(new RehearsalOptions { CrowdSize = 0 }), Time, NullLogger<TelegramSimulator>.Instance));

        var cut = ctx.Render<RehearsalPage>();

        // The channel is set: "No channel yet: give an event a results channel" would send the organizer to a setting already made.
        await cut.WaitForAssertionAsync(() => Assert.Equal("@codeweek_live (Code Week final) shows here from the bot's first post to it, when a question opens.",
            cut.Find("[data-testid=no-channel]").TextContent));
    }

    [Fact]
    public async Task RehearsalPage_ShowsTheSupergroupAGroupBecameWithThePostsMadeThere()
    {
        Simulator.RegisterChannel("-4518810793", "Code Week chat");
        var supergroup = Simulator.UpgradeToSupergroup("-4518810793");
        Time.Advance(TimeSpan.FromSeconds(1)); // the latest post of the rehearsal, so its chat is the one shown
        await Bot("sendMessage", ("chat_id", supergroup.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("text", "<b>Question 1: results</b>"), ("parse_mode", "HTML"));
        await using var ctx = Context();

        var cut = ctx.Render<RehearsalPage>();

        await cut.WaitForAssertionAsync(() => Assert.Contains("Question 1: results", cut.Find("[data-testid=channel] [data-testid=tg-message]").TextContent),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RehearsalPage_ShowsAParticipantsChatAndPressesItsButtons()
    {
        Simulator.SendText(Ada, "/start ABC");
        await Bot("sendMessage", ("chat_id", "4242"), ("text", "Pick <i>one</i>"), ("parse_mode", "HTML"),
            ("reply_markup", """{"inline_keyboard":[[{"text":"A) Java","callback_data":"a:ABC:0"},{"text":"B) Python","callback_data":"a:ABC:1"}]]}"""));
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();

        cut.Find("[data-testid=chat-4242]").Click();
        var messages = cut.FindAll("[data-testid=participant-chat] [data-testid=tg-message]");
        Assert.Equal("/start ABC", messages[0].QuerySelector(".tg-text")!.TextContent);
        Assert.Contains("tg-user", messages[0].ClassName);
        Assert.Contains("tg-bot", messages[1].ClassName);

        cut.FindAll("[data-testid=participant-chat] button.tg-button")[1].Click();

        var press = Assert.Single(Simulator.Updates, u => u.CallbackQuery is not null);
        Assert.Equal("a:ABC:1", press.CallbackQuery!.Data);
        Assert.Equal(Ada.Id, press.CallbackQuery.From.Id);
        cut.WaitForAssertion(() => Assert.Contains("B) Python", cut.Find("[data-testid=participant-chat] [data-testid=tg-press]").TextContent));
    }

    [Fact]
    public async Task RehearsalPage_TheRecentlyActiveChatsAreANamedGroupThatSaysWhichIsShown()
    {
        Simulator.SendText(Ada, "/start ABC");
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();

        cut.Find("[data-testid=chat-4242]").Click();

        var group = cut.Find("[aria-label='Recently active']");
        Assert.Equal("group", group.GetAttribute("role"));
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=chat-4242]").GetAttribute("aria-pressed")));
        Assert.All(group.QuerySelectorAll("button:not([data-testid=chat-4242])"), b => Assert.Equal("false", b.GetAttribute("aria-pressed")));
    }

    [Fact]
    public async Task RehearsalPage_SaysWhenEarlierMessagesOfAChatAreNotShown()
    {
        Simulator.SendText(Ada, "/start ABC");
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();
        cut.Find("[data-testid=chat-4242]").Click();
        Assert.Empty(cut.FindAll("[data-testid=participant-chat] [data-testid=tg-earlier]"));

        var sent = TelegramSimulator.ChatHistorySize + 30;
        for (var i = 1; i < sent; i++)
            Simulator.SendText(Ada, $"answer {i}");

        cut.Find("[data-testid=chat-4242]").Click();

        Assert.Equal(30, Simulator.ChatHistory(Ada.Id).Dropped);
        // 30 dropped by the simulator, and all but the latest 150 of those it keeps left out by the page.
        Assert.Equal("19,880 earlier messages are not shown: the rehearsal keeps only the latest messages of each chat.",
            cut.Find("[data-testid=participant-chat] [data-testid=tg-earlier]").TextContent.Trim());
        Assert.Equal($"answer {sent - 150}", cut.Find("[data-testid=participant-chat] .tg-text").TextContent);
    }

    [Fact]
    public async Task RehearsalPage_SendsWhatTheOrganizerTypesAsTheTestUser()
    {
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();

        cut.Find("input[data-testid=draft], [data-testid=draft] input").Input("/start <b>me</b> & you");
        cut.Find("[data-testid=send-form]").Submit();

        var sent = Assert.Single(Simulator.Messages(RehearsalPage.TestUser.Id));
        Assert.Equal("/start <b>me</b> & you", sent.Text);
        cut.WaitForAssertion(() => Assert.Equal("/start <b>me</b> & you", cut.Find("[data-testid=participant-chat] .tg-text").TextContent));
    }

    [Fact]
    public async Task RehearsalPage_SaysSinceWhenTheCrowdIsCountedAndCountsAfreshAfterStartOver()
    {
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();
        var since = cut.Find("[data-testid=crowd-counters-since]");
        Assert.StartsWith("Counted since the app started at", since.TextContent.Trim());
        Assert.Equal("2026-10-15T17:00:00.0000000+00:00", since.QuerySelector("time")!.GetAttribute("datetime"));

        // An organizer starts the event over on the event page: the rehearsal's answers are gone, and so are the crowd's counts.
        Time.Advance(TimeSpan.FromMinutes(42));
        Simulator.Crowd.EventStartedOver();

        await cut.WaitForAssertionAsync(() =>
        {
            var after = cut.Find("[data-testid=crowd-counters-since]");
            Assert.StartsWith("Counted since Start over at", after.TextContent.Trim());
            Assert.Equal("2026-10-15T17:42:00.0000000+00:00", after.QuerySelector("time")!.GetAttribute("datetime"));
        }, TimeSpan.FromSeconds(10));
        Assert.Contains("0 / 0", cut.Find("[data-testid=crowd-counters]").TextContent);
    }

    [Fact]
    public async Task RehearsalPage_SaysTheTeamsCountedBeforeAnyQuestionAreTheCrowds()
    {
        // The crowd registers its teams from its start, before any question opens: the page says where they come from.
        await using var ctx = Context();

        var cut = ctx.Render<RehearsalPage>();

        Assert.Contains("Teams registered", cut.Find("[data-testid=crowd-counters]").TextContent);
        var note = cut.Find("[data-testid=crowd-teams-note]").TextContent;
        Assert.Contains("The teams are the crowd's", note);
        Assert.Contains("/start register", note);
        Assert.Contains("without waiting for a question", note);
    }

    [Fact]
    public async Task RehearsalPage_StartsAndStopsTheCrowd()
    {
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();
        Assert.False(Simulator.Crowd.IsRunning);

        cut.Find("[data-testid=crowd-start]").Click();
        Assert.True(Simulator.Crowd.IsRunning);
        cut.Find("[data-testid=crowd-stop]").Click();
        Assert.False(Simulator.Crowd.IsRunning);
        Assert.Contains("stopped", cut.Find("[data-testid=crowd-state]").TextContent);
    }

    [Fact]
    public async Task RehearsalPage_TheCrowdsSlidersAreNamedAndSayTheirValuesAsShown()
    {
        Simulator.Crowd.Accuracy = 0.85;
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();

        var sliders = cut.FindAll("input[type=range]");
        Assert.Equal(["Pace", "Right answers", "Answering each question"], sliders.Select(s => s.GetAttribute("aria-label")));
        var accuracy = cut.Find("input[data-testid=crowd-accuracy]");
        Assert.Equal("85%", accuracy.GetAttribute("aria-valuetext"));
        Assert.Contains("Right answers: 85%", accuracy.Closest(".mud-slider")!.TextContent);

        accuracy.Input("0.4");
        Assert.Equal(0.4, Simulator.Crowd.Accuracy, 3);
        Assert.Equal("40%", cut.Find("input[data-testid=crowd-accuracy]").GetAttribute("aria-valuetext"));
    }

    [Fact]
    public async Task RehearsalPage_TheOutageDrillMakesTheBotApiAnswer502UntilItIsSwitchedOff()
    {
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();
        await cut.WaitForElementAsync("input[data-testid=sim-outage]");

        await cut.Find("input[data-testid=sim-outage]").ChangeAsync(new() { Value = true });

        Assert.True(Simulator.Outage);
        var refused = await Assert.ThrowsAsync<BotApiException>(() => Bot("getMe"));
        Assert.Equal(502, refused.ErrorCode);

        await cut.Find("input[data-testid=sim-outage]").ChangeAsync(new() { Value = false });

        Assert.False(Simulator.Outage);
        await Bot("getMe");
    }

    [Fact]
    public async Task RehearsalPage_TheDrillOfABotInNoChannelRefusesChannelPostsUntilItIsSwitchedOff()
    {
        Simulator.RegisterChannel("@cw_final", "Code Week final");
        Simulator.SendText(Ada, "/start");
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();
        await cut.WaitForElementAsync("input[data-testid=sim-not-in-channel]");

        await cut.Find("input[data-testid=sim-not-in-channel]").ChangeAsync(new() { Value = true });

        Assert.True(Simulator.BotNotInChannels);
        var refused = await Assert.ThrowsAsync<BotApiException>(() => Bot("sendMessage", ("chat_id", "@cw_final"), ("text", "Question 1 is open")));
        Assert.Equal((403, "Forbidden: bot is not a member of the channel chat"), (refused.ErrorCode, refused.Description));
        await Bot("sendMessage", ("chat_id", Ada.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("text", "Recorded")); // participants still get their replies

        await cut.Find("input[data-testid=sim-not-in-channel]").ChangeAsync(new() { Value = false });

        Assert.False(Simulator.BotNotInChannels);
        await Bot("sendMessage", ("chat_id", "@cw_final"), ("text", "Question 1 is open"));
        Assert.Single(Simulator.BotMessages("@cw_final"));
    }

    [Fact]
    public async Task TheDrillOfABotInNoChannelRefusesAGroupAsTelegramDoesAndItsEditsToo()
    {
        Simulator.RegisterChannel("-4518810793", "Code Week chat");
        var supergroup = Simulator.UpgradeToSupergroup("-4518810793").ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Bot("sendMessage", ("chat_id", supergroup), ("text", "Question 1 is open"));
        Simulator.SetBotNotInChannels(true);

        var edit = await Assert.ThrowsAsync<BotApiException>(() => Bot("editMessageText", ("chat_id", supergroup), ("message_id", "1"), ("text", "answers: 12")));
        Assert.Equal((403, "Forbidden: bot is not a member of the supergroup chat"), (edit.ErrorCode, edit.Description));
        // The group's old id still names the supergroup first, as Telegram does for good once a group is upgraded.
        var old = await Assert.ThrowsAsync<BotApiException>(() => Bot("sendMessage", ("chat_id", "-4518810793"), ("text", "Question 2 is open")));
        Assert.Contains("upgraded to a supergroup", old.Description);
        Assert.Equal("Question 1 is open", Assert.Single(Simulator.BotMessages(supergroup)).Text);
    }

    [Fact]
    public async Task RehearsalPage_SaysSoOutsideRehearsalMode()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var cut = ctx.Render<RehearsalPage>();
        Assert.NotNull(cut.Find("[data-testid=not-rehearsal]"));
    }

    [Fact]
    public async Task RehearsalPage_RecentlyActiveButtonsKeepTheirPlacesWhileTheirChatsStayActive()
    {
        var players = Enumerable.Range(1, 7).Select(i => new SimUser(5000 + i, $"Player{i}")).ToList();
        foreach (var player in players.Take(6))
        {
            Simulator.SendText(player, "/help");
            Time.Advance(TimeSpan.FromMilliseconds(100));
        }
        await using var ctx = Context();
        var cut = ctx.Render<RehearsalPage>();
        List<string> Shown() => [.. cut.FindAll("[aria-label='Recently active'] button").Select(b => b.GetAttribute("data-testid")!)];
        var before = Shown();
        Assert.Equal(players.Take(6).Select(p => $"chat-{p.Id}").Reverse(), before); // the most recent first

        // The one at the end writes again: it is now the most recent, and its button stays where the pointer expects it.
        Simulator.SendText(players[0], "42");
        Time.Advance(TimeSpan.FromSeconds(1));
        await cut.WaitForAssertionAsync(() => Assert.Equal(before, Shown()), TimeSpan.FromSeconds(10));

        // Someone new while the others are still active: at most every 5 s, in the place of the least recent one.
        Simulator.SendText(players[6], "/help");
        Time.Advance(TimeSpan.FromSeconds(6));
        Simulator.SendText(players[6], "43");
        var replaced = before.ToList();
        replaced[before.IndexOf($"chat-{players[1].Id}")] = $"chat-{players[6].Id}";
        await cut.WaitForAssertionAsync(() => Assert.Equal(replaced, Shown()), TimeSpan.FromSeconds(10));
    }
}
