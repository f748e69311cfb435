using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Rehearsal;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Tests.Web.Rehearsal;

public class BotApiTests
{
    static readonly SimUser Ada = new(4242, "Ada", "Lovelace", "ada");

    [Fact]
    public async Task GetMeNamesTheRehearsalBot()
    {
        await using var host = await SimulatorHost.StartAsync();
        var me = await host.Bot().GetMe();
        Assert.True(me.IsBot);
        Assert.Equal(TelegramSimulator.BotUsername, me.Username);
        Assert.Equal(TelegramSimulator.BotId, me.Id);
    }

    [Fact]
    public async Task AChannelOfTheRehearsalHasTheBotAsAnAdministratorThatMayPost()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.RegisterChannel("@codeweek", "Code Week");
        host.Simulator.SendText(Ada, "/start");
        var check = new ChannelCheck(host.Bot(), Options.Create(new OutboxOptions()));

        Assert.Equal(new ChannelCheckResult(true, "The bot can post to “Code Week”."), await check.CheckAsync("@codeweek"));
        var unknown = await check.CheckAsync("@nobody_here");
        Assert.False(unknown.CanPost);
        Assert.StartsWith("Telegram knows no chat @nobody_here, or the bot is not in it.", unknown.Message);
        Assert.Equal(new ChannelCheckResult(false, "4242 is a person's private chat, not a channel or a group."), await check.CheckAsync("4242"));

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().GetChatMember("@codeweek", 99));
        Assert.Equal("Bad Request: member not found", e.Message);
    }

    [Fact]
    public async Task AnUnknownTokenIsUnauthorized()
    {
        await using var host = await SimulatorHost.StartAsync();
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot("123456:not-the-rehearsal-token").GetMe());
        Assert.Equal(401, e.ErrorCode);
        Assert.Equal("Unauthorized", e.Message);
    }

    [Fact]
    public async Task FormBodiesAndQueryStringsWorkAsOnTelegram()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        var http = host.Http();
        var token = CodeQuiz.Core.Telegram.TelegramOptions.RehearsalToken;

        var form = await http.PostAsync($"/bot{token}/sendMessage", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["chat_id"] = Ada.Id.ToString(), ["text"] = "Hi <i>Ada</i>", ["parse_mode"] = "HTML",
            ["reply_markup"] = """{"inline_keyboard":[[{"text":"OK","callback_data":"ok"}]]}""",
        }));
        Assert.Equal(System.Net.HttpStatusCode.OK, form.StatusCode);
        Assert.StartsWith("""{"ok":true,"result":{"message_id":2""", await form.Content.ReadAsStringAsync());
        Assert.Equal("ok", host.Simulator.BotMessages(Ada.Id)[0].Buttons.Single().CallbackData);

        var query = await http.GetAsync($"/bot{token}/getMe?unused=1");
        Assert.Contains("\"username\":\"CodeQuizRehearsalBot\"", await query.Content.ReadAsStringAsync());

        var tooLong = await http.PostAsync($"/bot{token}/sendMessage?chat_id={Ada.Id}&text={new string('x', 4097)}", null);
        Assert.Equal(400, (int)tooLong.StatusCode);
        Assert.Equal("""{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}""", await tooLong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnUnknownMethodIsNotFound()
    {
        await using var host = await SimulatorHost.StartAsync();
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().GetChatMemberCount(1));
        Assert.Equal(404, e.ErrorCode);
    }

    [Fact]
    public async Task SendMessageReturnsTheMessageAndTheChatShowsItWithItsButtons()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        var keyboard = new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("A", "a:CODE:0"), InlineKeyboardButton.WithCallbackData("B", "a:CODE:1")]]);

        var sent = await host.Bot().SendMessage(Ada.Id, "Hello <b>Ada</b> &amp; <i>friends</i> &lt;3", parseMode: ParseMode.Html, replyMarkup: keyboard);

        Assert.Equal("Hello Ada & friends <3", sent.Text);
        Assert.Equal(Ada.Id, sent.Chat.Id);
        Assert.Equal(ChatType.Private, sent.Chat.Type);
        Assert.Equal(TelegramSimulator.BotId, sent.From!.Id);
        Assert.Equal([MessageEntityType.Bold, MessageEntityType.Italic], sent.Entities!.Select(e => e.Type));
        Assert.Equal((6, 3), (sent.Entities![0].Offset, sent.Entities[0].Length));
        var shown = Assert.Single(host.Simulator.BotMessages(Ada.Id));
        Assert.Equal(sent.Id, shown.MessageId);
        Assert.Equal(["a:CODE:0", "a:CODE:1"], shown.Buttons.Select(b => b.CallbackData));
        Assert.Contains("<b>Ada</b> &amp; <i>friends</i> &lt;3", shown.DisplayHtml);
    }

    [Theory]
    [InlineData("1 < 2")]
    [InlineData("Tom & Jerry")]
    [InlineData("<blink>hi</blink>")]
    [InlineData("<b>never closed")]
    [InlineData("<b>crossed</i>")]
    [InlineData("closed</b> only")]
    [InlineData("<span>not a spoiler</span>")]
    [InlineData("&nbsp;")]
    [InlineData("<br>")]
    public async Task HtmlThatTelegramCannotParseIsRefused(string html)
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SendMessage(Ada.Id, html, parseMode: ParseMode.Html));
        Assert.Equal(400, e.ErrorCode);
        Assert.StartsWith("Bad Request: can't parse entities: ", e.Message);
        Assert.Empty(host.Simulator.BotMessages(Ada.Id));
    }

    [Theory]
    [InlineData("<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>", "bsieunskd")]
    [InlineData("<a href=\"https://codeweek.eu\">Code Week</a>", "Code Week")]
    [InlineData("<code>x &lt; y</code> and <pre><code class=\"language-python\">print(1)</code></pre>", "x < y and print(1)")]
    [InlineData("<tg-spoiler>a</tg-spoiler><span class=\"tg-spoiler\">b</span><blockquote>c</blockquote>", "abc")]
    [InlineData("&#128512; &#x1F600; &quot;q&quot; 1 &gt; 0", "😀 😀 \"q\" 1 > 0")]
    [InlineData("plain > text", "plain > text")]
    public async Task TheTagsAndEntitiesTelegramAllowsAreAccepted(string html, string text)
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        var sent = await host.Bot().SendMessage(Ada.Id, html, parseMode: ParseMode.Html);
        Assert.Equal(text, sent.Text);
    }

    [Fact]
    public void TheConsoleShowsEmojiWholeAndAddressesAsLinks()
    {
        var shown = TelegramHtml.Parse("🚀 <b>Answer</b> here: https://t.me/CodeQuizRehearsalBot?start=ABC&amp;x=1.").DisplayHtml;
        Assert.Equal(
            "&#128640; <b>Answer</b> here: <a href=\"https://t.me/CodeQuizRehearsalBot?start=ABC&amp;x=1\" target=\"_blank\" rel=\"noopener noreferrer\">https://t.me/CodeQuizRehearsalBot?start=ABC&amp;x=1</a>.",
            shown);
        Assert.Equal("&lt;b&gt;Bob&lt;/b&gt; &amp; Tom<br>🐱".Replace("🐱", "&#128049;"), FormattedText.Plain("<b>Bob</b> & Tom\n🐱").DisplayHtml);
    }

    [Fact]
    public async Task UserTextIsTakenLiterallyWithoutParseMode()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        var sent = await host.Bot().SendMessage(Ada.Id, "<b>Bob</b> & Tom");
        Assert.Equal("<b>Bob</b> & Tom", sent.Text);
        Assert.Null(sent.Entities);
    }

    [Fact]
    public async Task TextOverFourThousandNinetySixCharactersIsTooLong()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        var bot = host.Bot();

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(Ada.Id, new string('x', 4097)));
        Assert.Equal(400, e.ErrorCode);
        Assert.Equal("Bad Request: message is too long", e.Message);

        // Tags do not count, as on Telegram: the limit applies to the text after parsing.
        await bot.SendMessage(Ada.Id, "<b>" + new string('x', 4096) + "</b>", parseMode: ParseMode.Html);
    }

    [Theory]
    [InlineData("for x in xs:\r\n\tprint(x)\u000B\u202Eend", null)]
    [InlineData("<pre>for x in xs:\r\n\tprint(x)\u000B\u202Eend</pre>", ParseMode.Html)]
    public async Task ATabOrAnotherControlCharacterBecomesASpaceAndACarriageReturnIsLeftOutAsOnTelegram(string text, ParseMode? parseMode)
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");

        var sent = await host.Bot().SendMessage(Ada.Id, text, parseMode ?? default);

        // What a phone shows: Telegram keeps a tab as one space, so a listing indented with tabs is indented one space a level.
        const string Kept = "for x in xs:\n print(x) end";
        Assert.Equal(Kept, sent.Text);
        Assert.Equal(Kept, Assert.Single(host.Simulator.BotMessages(Ada.Id)).Text);
        if (parseMode is not null)
            Assert.Equal(Kept.Length, Assert.Single(sent.Entities!).Length);
    }

    [Theory]
    [InlineData("", null, "message text is empty")]
    [InlineData("   ", null, "text must be non-empty")] // Telegram takes the text, then finds nothing in it
    [InlineData("<b></b>", ParseMode.Html, "text must be non-empty")]
    public async Task AnEmptyTextIsRefused(string text, ParseMode? parseMode, string description)
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SendMessage(Ada.Id, text, parseMode ?? default));
        Assert.Equal($"Bad Request: {description}", e.Message);
    }

    [Fact]
    public async Task AChatNobodyOpenedIsNotFound()
    {
        await using var host = await SimulatorHost.StartAsync();
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SendMessage(999_999, "hello"));
        Assert.Equal(400, e.ErrorCode);
        Assert.Equal("Bad Request: chat not found", e.Message);

        var channel = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SendMessage("@nochannel", "hello"));
        Assert.Equal("Bad Request: chat not found", channel.Message);
    }

    [Fact]
    public async Task AConfiguredChannelAcceptsPostsByNameAndById()
    {
        await using var host = await SimulatorHost.StartAsync(o => o.Channels = ["@codeweek_rehearsal"]);
        var post = await host.Bot().SendMessage("@codeweek_rehearsal", "Question 1 is open");
        Assert.Equal(ChatType.Channel, post.Chat.Type);
        Assert.Equal("codeweek_rehearsal", post.Chat.Username);
        Assert.Null(post.From);
        Assert.Equal(post.Chat.Id, post.SenderChat!.Id);

        var second = await host.Bot().SendMessage(post.Chat.Id, "Question 1 is closed");
        Assert.Equal(post.Id + 1, second.Id);
        Assert.Equal(2, host.Simulator.BotMessages("@codeweek_rehearsal").Count);
    }

    [Fact]
    public async Task AGroupThatBecameASupergroupIsRefusedUnderItsOldIdWithItsNewOne()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.RegisterChannel("-4518810793", "Code Week chat");
        var post = await host.Bot().SendMessage(-4518810793, "Question 1 is open");
        Assert.Equal(ChatType.Group, post.Chat.Type);

        var supergroup = host.Simulator.UpgradeToSupergroup("-4518810793");

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SendMessage(-4518810793, "Question 1 is closed"));
        Assert.Equal((400, "Bad Request: group chat was upgraded to a supergroup chat", supergroup), (e.ErrorCode, e.Message, e.Parameters?.MigrateToChatId));
        var edit = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().EditMessageText(-4518810793, post.Id, "Question 1: 3 answers"));
        Assert.Equal(supergroup, edit.Parameters?.MigrateToChatId);
        Assert.StartsWith("-100", supergroup.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var moved = await host.Bot().SendMessage(supergroup, "Question 1 is closed");
        Assert.Equal((ChatType.Supergroup, "Code Week chat"), (moved.Chat.Type, moved.Chat.Title));
        var check = new ChannelCheck(host.Bot(), Options.Create(new OutboxOptions()));
        Assert.StartsWith($"-4518810793 has become a supergroup, whose id is {supergroup}:", (await check.CheckAsync("-4518810793")).Message);
        Assert.True((await check.CheckAsync(supergroup.ToString(System.Globalization.CultureInfo.InvariantCulture))).CanPost);
    }

    [Fact]
    public async Task ABlockedUserCannotBeWritten()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        host.Simulator.Block(Ada);
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SendMessage(Ada.Id, "hello"));
        Assert.Equal(403, e.ErrorCode);
        Assert.Equal("Forbidden: bot was blocked by the user", e.Message);
    }

    [Fact]
    public async Task EditMessageTextAppliesTheEditMarksItEditedAndDropsTheKeyboardUnlessResent()
    {
        await using var host = await SimulatorHost.StartAsync(o => o.Channels = ["@cw"]);
        var bot = host.Bot();
        var keyboard = new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("Open", "x")]]);
        var post = await bot.SendMessage("@cw", "Answers: 0", replyMarkup: keyboard);

        var kept = await bot.EditMessageText("@cw", post.Id, "Answers: 5", replyMarkup: keyboard);
        Assert.NotNull(kept.EditDate);
        Assert.Equal("Answers: 5", kept.Text);
        Assert.Single(host.Simulator.BotMessages("@cw")[0].Buttons);

        await bot.EditMessageText("@cw", post.Id, "Answers: <b>7</b>", parseMode: ParseMode.Html);
        var shown = Assert.Single(host.Simulator.BotMessages("@cw"));
        Assert.Equal("Answers: 7", shown.Text);
        Assert.Equal(2, shown.Edits);
        Assert.NotNull(shown.EditedAt);
        Assert.Empty(shown.Buttons);

        var same = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText("@cw", post.Id, "Answers: <b>7</b>", parseMode: ParseMode.Html));
        Assert.StartsWith("Bad Request: message is not modified", same.Message);
        var missing = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText("@cw", post.Id + 10, "x"));
        Assert.Equal("Bad Request: message to edit not found", missing.Message);
    }

    [Fact]
    public async Task TheBotCannotEditWhatAUserWrote()
    {
        await using var host = await SimulatorHost.StartAsync();
        var update = host.Simulator.SendText(Ada, "my answer");
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().EditMessageText(Ada.Id, update.Message!.Id, "changed"));
        Assert.Equal("Bad Request: message can't be edited", e.Message);
    }

    [Fact]
    public async Task EditMessageReplyMarkupReplacesOrRemovesTheButtons()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start CODE");
        var bot = host.Bot();
        var prompt = await bot.SendMessage(Ada.Id, "Pick one", replyMarkup: new InlineKeyboardMarkup([[
            InlineKeyboardButton.WithCallbackData("A", "a:CODE:0"), InlineKeyboardButton.WithCallbackData("B", "a:CODE:1")]]));

        await bot.EditMessageReplyMarkup(Ada.Id, prompt.Id, new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("✅ B", "noop")]]));
        Assert.Equal(["✅ B"], host.Simulator.BotMessages(Ada.Id)[0].Buttons.Select(b => b.Text));

        await bot.EditMessageReplyMarkup(Ada.Id, prompt.Id, replyMarkup: null);
        Assert.Empty(host.Simulator.BotMessages(Ada.Id)[0].Buttons);
        Assert.Equal("Pick one", host.Simulator.BotMessages(Ada.Id)[0].Text);
    }

    [Theory]
    [InlineData("""{"text":"A"}""", "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")]
    [InlineData("""{"text":"A","callback_data":""}""", "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")]
    [InlineData("""{"text":"A","callback_data":"ééééééééééééééééééééééééééééééééé"}""", "BUTTON_DATA_INVALID")] // 33 characters, 66 bytes
    public async Task AnInlineButtonWithoutAnActionOrWithCallbackDataOverSixtyFourBytesIsRefused(string button, string description)
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start");
        var token = CodeQuiz.Core.Telegram.TelegramOptions.RehearsalToken;

        var refused = await host.Http().PostAsync($"/bot{token}/sendMessage", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["chat_id"] = Ada.Id.ToString(), ["text"] = "Pick", ["reply_markup"] = $$"""{"inline_keyboard":[[{{button}}]]}""",
        }));

        using var answer = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(400, answer.RootElement.GetProperty("error_code").GetInt32());
        Assert.Equal($"Bad Request: {description}", answer.RootElement.GetProperty("description").GetString());
        Assert.Empty(host.Simulator.BotMessages(Ada.Id));
        // 64 bytes is the most, however many characters they are.
        await host.Bot().SendMessage(Ada.Id, "Pick", replyMarkup: new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("A", new string('é', 32))]]));
    }

    [Fact]
    public async Task SendPhotoAcceptsAnUploadedFileAndACaption()
    {
        await using var host = await SimulatorHost.StartAsync(o => o.Channels = ["@cw"]);
        using var png = new MemoryStream([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var sent = await host.Bot().SendPhoto("@cw", InputFile.FromStream(png, "qr.png"), caption: "Scan <b>me</b>", parseMode: ParseMode.Html,
            replyMarkup: new InlineKeyboardMarkup([[InlineKeyboardButton.WithUrl("Open", "https://t.me/CodeQuizRehearsalBot?start=ABC")]]));
        Assert.NotEmpty(sent.Photo!);
        Assert.Equal("Scan me", sent.Caption);
        var shown = Assert.Single(host.Simulator.BotMessages("@cw"));
        Assert.Equal(SimEntryKind.Photo, shown.Kind);
        Assert.Equal("https://t.me/CodeQuizRehearsalBot?start=ABC", shown.Buttons.Single().Url);

        var byId = await host.Bot().SendPhoto("@cw", InputFile.FromFileId(sent.Photo![^1].FileId));
        Assert.Null(byId.Caption);
    }

    [Fact]
    public async Task AnswerCallbackQueryShowsTheToastOnceWithinOneHundredFiftySeconds()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start CODE");
        var bot = host.Bot();
        var prompt = await bot.SendMessage(Ada.Id, "Pick", replyMarkup: new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("A", "a:CODE:0")]]));

        var press = host.Simulator.PressButton(Ada, prompt.Id, "a:CODE:0");
        Assert.Equal("a:CODE:0", press.CallbackQuery!.Data);
        Assert.Equal(prompt.Id, press.CallbackQuery.Message!.Id);
        await bot.AnswerCallbackQuery(press.CallbackQuery.Id, "Recorded ✅");
        Assert.Equal("Recorded ✅", host.Simulator.Messages(Ada.Id).Single(m => m.Kind == SimEntryKind.ButtonPress).Toast);

        var twice = await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerCallbackQuery(press.CallbackQuery.Id));
        Assert.Equal("Bad Request: query is too old and response timeout expired or query ID is invalid", twice.Message);

        var late = host.Simulator.PressButton(Ada, prompt.Id, "a:CODE:0");
        host.Time.Advance(TimeSpan.FromSeconds(151));
        var tooOld = await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerCallbackQuery(late.CallbackQuery!.Id));
        Assert.Equal(400, tooOld.ErrorCode);
        Assert.Contains("query is too old", tooOld.Message);

        await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerCallbackQuery("123"));
    }

    [Fact]
    public async Task AUserCanOnlyPressButtonsTheBotSent()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.SendText(Ada, "/start CODE");
        var prompt = await host.Bot().SendMessage(Ada.Id, "Pick", replyMarkup: new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("A", "a:CODE:0")]]));
        Assert.Throws<InvalidOperationException>(() => host.Simulator.PressButton(Ada, prompt.Id, "a:CODE:9"));
    }

    [Fact]
    public async Task GetUpdatesReturnsUpdatesInOrderAndAnOffsetConfirmsThem()
    {
        await using var host = await SimulatorHost.StartAsync();
        var bot = host.Bot();
        var first = host.Simulator.SendText(Ada, "/start ABC");
        host.Simulator.SendSticker(Ada);
        host.Simulator.SendPhoto(Ada, "my work");

        var updates = await bot.GetUpdates();
        Assert.Equal([first.Id, first.Id + 1, first.Id + 2], updates.Select(u => u.Id));
        Assert.Equal("/start ABC", updates[0].Message!.Text);
        Assert.Equal(MessageEntityType.BotCommand, updates[0].Message!.Entities![0].Type);
        Assert.NotNull(updates[1].Message!.Sticker);
        Assert.Equal("my work", updates[2].Message!.Caption);

        Assert.Equal(3, (await bot.GetUpdates()).Length); // not confirmed yet
        Assert.Single(await bot.GetUpdates(offset: first.Id + 2));
        Assert.Empty(await bot.GetUpdates(offset: first.Id + 3));
        Assert.Equal(0, (await bot.GetWebhookInfo()).PendingUpdateCount);

        for (var i = 0; i < 120; i++) host.Simulator.SendText(Ada, $"spam {i}");
        Assert.Equal(100, (await bot.GetUpdates()).Length);
        Assert.Equal(5, (await bot.GetUpdates(limit: 5)).Length);
    }

    [Fact]
    public async Task GetUpdatesWaitsForTheNextUpdateWhenLongPolling()
    {
        await using var host = await SimulatorHost.StartAsync();
        var poll = host.Bot().GetUpdates(timeout: 30);
        await Task.Delay(50);
        Assert.False(poll.IsCompleted);
        host.Simulator.SendText(Ada, "hello");
        var updates = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("hello", Assert.Single(updates).Message!.Text);
    }

    [Fact]
    public async Task GetUpdatesWhileAWebhookIsSetIsAConflict()
    {
        await using var host = await SimulatorHost.StartAsync();
        var bot = host.Bot();
        await bot.SetWebhook("http://127.0.0.1:9/telegram/webhook", secretToken: "s3cret");
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetUpdates());
        Assert.Equal(409, e.ErrorCode);
        Assert.StartsWith("Conflict: can't use getUpdates method while webhook is active", e.Message);

        await bot.DeleteWebhook();
        Assert.Empty(await bot.GetUpdates());
    }

    [Fact]
    public async Task SetWebhookIsReportedByGetWebhookInfoAndDropPendingUpdatesForgetsThem()
    {
        await using var host = await SimulatorHost.StartAsync();
        var bot = host.Bot();
        host.Simulator.SendText(Ada, "one");
        host.Simulator.SendText(Ada, "two");
        await bot.SetWebhook("http://127.0.0.1:9/telegram/webhook", maxConnections: 7, secretToken: "s3cret",
            allowedUpdates: [UpdateType.Message, UpdateType.CallbackQuery]);

        var info = await bot.GetWebhookInfo();
        Assert.Equal("http://127.0.0.1:9/telegram/webhook", info.Url);
        Assert.Equal(7, info.MaxConnections);
        Assert.Equal(2, info.PendingUpdateCount);
        Assert.Equal([UpdateType.Message, UpdateType.CallbackQuery], info.AllowedUpdates!.Order());

        await bot.SetWebhook("http://127.0.0.1:9/telegram/webhook", dropPendingUpdates: true);
        Assert.Equal(0, (await bot.GetWebhookInfo()).PendingUpdateCount);

        var bad = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SetWebhook("http://127.0.0.1:9/x", secretToken: "not allowed!"));
        Assert.Equal("Bad Request: secret token contains unallowed characters", bad.Message);

        await bot.DeleteWebhook();
        Assert.Equal("", (await bot.GetWebhookInfo()).Url);
    }

    [Fact]
    public async Task SendingFasterThanOneMessageASecondToAChatGets429WithRetryAfter()
    {
        await using var host = await SimulatorHost.StartAsync(o => o.RateLimits.PerChatBurst = 3);
        host.Simulator.SendText(Ada, "/start");
        var bot = host.Bot();
        for (var i = 0; i < 3; i++)
            await bot.SendMessage(Ada.Id, $"burst {i}");

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(Ada.Id, "one too many"));
        Assert.Equal(429, e.ErrorCode);
        Assert.Equal(1, e.Parameters?.RetryAfter);
        Assert.Equal(3, host.Simulator.BotMessages(Ada.Id).Count);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await bot.SendMessage(Ada.Id, "after waiting");
        Assert.Equal(1, host.Simulator.Status.RateLimited);
    }

    [Fact]
    public async Task SendingFasterThanThirtyMessagesASecondOverallGets429()
    {
        await using var host = await SimulatorHost.StartAsync();
        var bot = host.Bot();
        var users = Enumerable.Range(1, 31).Select(i => new SimUser(10_000 + i, $"User {i}")).ToList();
        foreach (var user in users) host.Simulator.SendText(user, "/start");
        for (var i = 0; i < 30; i++)
            await bot.SendMessage(users[i].Id, "welcome");
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(users[30].Id, "welcome"));
        Assert.Equal(429, e.ErrorCode);
        Assert.True(e.Parameters?.RetryAfter >= 1);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await bot.SendMessage(users[30].Id, "welcome");
    }

    [Fact]
    public async Task AChannelGetsAboutTwentyMessagesAMinute()
    {
        await using var host = await SimulatorHost.StartAsync(o => o.Channels = ["@cw"]);
        var bot = host.Bot();
        for (var i = 0; i < 5; i++)
            await bot.SendMessage("@cw", $"post {i}");
        var e = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage("@cw", "too fast"));
        Assert.Equal(3, e.Parameters?.RetryAfter);
    }

    [Fact]
    public async Task RateLimitsCanBeTurnedOff()
    {
        await using var host = await SimulatorHost.StartAsync(o => o.RateLimits.Enabled = false);
        host.Simulator.SendText(Ada, "/start");
        for (var i = 0; i < 50; i++)
            await host.Bot().SendMessage(Ada.Id, $"message {i}");
        Assert.Equal(50, host.Simulator.BotMessages(Ada.Id).Count);
    }

    [Fact]
    public async Task ALongRehearsalKeepsOnlyTheLatestUpdatesButCountsThemAll()
    {
        await using var host = await SimulatorHost.StartAsync();
        var bot = host.Bot();
        var made = TelegramSimulator.HistorySize + 150;
        for (var i = 0; i < made; i++)
            host.Simulator.SendText(Ada, $"answer {i}");
        var offset = 0;
        while (await bot.GetUpdates(offset, limit: 100) is { Length: > 0 } page)
            offset = page[^1].Id + 1;

        var created = host.Simulator.Updates;
        Assert.Equal(TelegramSimulator.HistorySize, created.Count);
        Assert.Equal("answer 150", created[0].Message!.Text);
        Assert.Equal($"answer {made - 1}", created[^1].Message!.Text);
        var delivered = host.Simulator.DeliveredUpdates;
        Assert.Equal(TelegramSimulator.HistorySize, delivered.Count);
        Assert.Equal($"answer {made - 1}", delivered[^1].Message!.Text);
        Assert.Equal(made, host.Simulator.Status.UpdatesCreated);
        Assert.Equal(made, host.Simulator.Status.UpdatesDelivered);
    }

    [Fact]
    public async Task ALongRehearsalKeepsEachChatsLatestMessagesAndDropsTheOldest()
    {
        await using var host = await SimulatorHost.StartAsync();
        for (var i = 0; i < 5; i++)
            host.Simulator.SendText(Ada, $"early {i}");
        var crowd = Enumerable.Range(0, 500).Select(i => new SimUser(10_000 + i, $"User {i}")).ToList();
        const int rounds = 60; // 30,000 entries: half again what the chats keep
        for (var round = 0; round < rounds; round++)
            foreach (var user in crowd)
                host.Simulator.SendText(user, $"answer {round}");

        var chats = host.Simulator.Chats();
        Assert.Equal(TelegramSimulator.ChatHistorySize, chats.Sum(c => c.Entries));
        Assert.Equal(5 + crowd.Count * rounds - TelegramSimulator.ChatHistorySize, chats.Sum(c => c.Dropped));
        // A quiet chat keeps its latest entries however busy the others are.
        var quiet = host.Simulator.ChatHistory(Ada.Id);
        Assert.Equal(["early 0", "early 1", "early 2", "early 3", "early 4"], quiet.Entries.Select(m => m.Text));
        Assert.Equal(0, quiet.Dropped);
        foreach (var user in crowd)
        {
            var history = host.Simulator.ChatHistory(user.Id);
            Assert.InRange(history.Entries.Count, TelegramSimulator.ChatRecentKept, rounds);
            Assert.Equal(rounds, history.Dropped + history.Entries.Count);
            Assert.Equal(Enumerable.Range((int)history.Dropped, history.Entries.Count).Select(r => $"answer {r}"), history.Entries.Select(m => m.Text));
        }
    }

    [Fact]
    public async Task AChannelKeepsItsLatestThousandPosts()
    {
        await using var host = await SimulatorHost.StartAsync(o => { o.Channels = ["@cw"]; o.RateLimits.Enabled = false; });
        var bot = host.Bot();
        for (var i = 1; i <= TelegramSimulator.ChannelHistorySize + 5; i++)
            await bot.SendMessage("@cw", $"post {i}");

        var channel = host.Simulator.ChatHistory(host.Simulator.Chats().Single(c => c.Type == ChatType.Channel).Id);
        Assert.Equal(TelegramSimulator.ChannelHistorySize, channel.Entries.Count);
        Assert.Equal("post 6", channel.Entries[0].Text);
        Assert.Equal(5, channel.Dropped);
        // Telegram still has the first post: its live count can be edited.
        var edited = await bot.EditMessageText("@cw", 1, "post 1 · answers: 12");
        Assert.Equal(1, edited.Id);
        Assert.NotNull(edited.EditDate);
    }

    [Fact]
    public async Task AMessageDroppedFromTheHistoryIsEditedAsOnTelegram()
    {
        await using var host = await SimulatorHost.StartAsync(o => o.RateLimits.Enabled = false);
        var bot = host.Bot();
        host.Simulator.SendText(Ada, "/start CODE");
        var prompt = await bot.SendMessage(Ada.Id, "Pick one", replyMarkup: new InlineKeyboardMarkup([[
            InlineKeyboardButton.WithCallbackData("A", "a:CODE:0"), InlineKeyboardButton.WithCallbackData("B", "a:CODE:1")]]));
        using var png = new MemoryStream([0x89, 0x50, 0x4E, 0x47]);
        var photo = await bot.SendPhoto(Ada.Id, InputFile.FromStream(png, "qr.png"), caption: "Scan me");
        for (var i = 0; i < TelegramSimulator.ChatHistorySize; i++)
            host.Simulator.SendText(Ada, $"answer {i}");
        Assert.DoesNotContain(host.Simulator.Messages(Ada.Id), m => m.MessageId <= photo.Id);
        var edits = host.Simulator.Status.Edits;

        var chosen = new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("📨 B", "noop")]]);
        var marked = await bot.EditMessageReplyMarkup(Ada.Id, prompt.Id, chosen);
        Assert.Equal(prompt.Id, marked.Id);
        Assert.Equal("📨 B", marked.ReplyMarkup!.InlineKeyboard.Single().Single().Text);
        Assert.NotNull(marked.EditDate);
        Assert.Equal(prompt.Date, marked.Date);
        var same = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageReplyMarkup(Ada.Id, prompt.Id, chosen));
        Assert.StartsWith("Bad Request: message is not modified", same.Message);

        var text = await bot.EditMessageText(Ada.Id, prompt.Id, "Pick <b>one</b>", parseMode: ParseMode.Html, replyMarkup: chosen);
        Assert.Equal("Pick one", text.Text);
        var sameText = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.EditMessageText(Ada.Id, prompt.Id, "Pick <b>one</b>", parseMode: ParseMode.Html, replyMarkup: chosen));
        Assert.StartsWith("Bad Request: message is not modified", sameText.Message);
        // Without reply_markup the keyboard goes: that is a change.
        await bot.EditMessageText(Ada.Id, prompt.Id, "Pick <b>one</b>", parseMode: ParseMode.Html);
        Assert.Equal(edits + 3, host.Simulator.Status.Edits);

        var noText = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(Ada.Id, photo.Id, "changed"));
        Assert.Equal("Bad Request: there is no text in the message to edit", noText.Message);
        var users = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(Ada.Id, 1, "changed"));
        Assert.Equal("Bad Request: message can't be edited", users.Message);
        var never = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(Ada.Id, 1_000_000, "changed"));
        Assert.Equal("Bad Request: message to edit not found", never.Message);
        Assert.DoesNotContain(host.Simulator.Messages(Ada.Id), m => m.MessageId <= photo.Id);
    }
}
