using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Tests.Core.Telegram;

/// <summary>Each answer Telegram can give about a channel becomes one plain sentence for the organizer.</summary>
public class ChannelCheckTests
{
    const string Me = """{"id":777000111,"is_bot":true,"first_name":"CodeQuiz","username":"codequiz_bot"}""";
    const string BotUser = """{"id":777000111,"is_bot":true,"first_name":"CodeQuiz"}""";

    static string Chat(string type, string title = "Code Week") =>
        $$"""{"id":-1001234567890,"type":"{{type}}","title":"{{title}}","accent_color_id":0,"max_reaction_count":11}""";

    static Task<ChannelCheckResult> CheckAsync(StubBotApi api, string channel = "@codeweek", int timeoutSeconds = 10) =>
        new ChannelCheck(api.Client(), Options.Create(new OutboxOptions { CallTimeoutSeconds = timeoutSeconds })).CheckAsync(channel);

    [Fact]
    public async Task AnAdministratorThatMayPostCanPost()
    {
        var api = new StubBotApi().Answer("getChat", Chat("channel")).Answer("getMe", Me)
            .Answer("getChatMember", $$"""{"status":"administrator","user":{{BotUser}},"can_be_edited":false,"can_post_messages":true}""");

        var result = await CheckAsync(api);

        Assert.True(result.CanPost);
        Assert.Equal("The bot can post to “Code Week”.", result.Message);
        Assert.Equal(["getChat", "getMe", "getChatMember"], api.Calls);
    }

    [Fact]
    public async Task AGroupThatBecameASupergroupIsNamedByItsNewId()
    {
        var api = new StubBotApi();
        api.Answer("getMe", Me);
        api.RefuseWith("getChat", 400, "Bad Request: group chat was upgraded to a supergroup chat", """{"migrate_to_chat_id":-1001557912345}""");

        var result = await CheckAsync(api, "-4518810793");

        Assert.False(result.CanPost);
        Assert.Equal("-4518810793 has become a supergroup, whose id is -1001557912345: save -1001557912345 as the event's channel, then check again.", result.Message);
    }

    [Theory]
    [InlineData("""{"status":"administrator","user":BOT,"can_be_edited":false,"can_post_messages":false}""", "is an administrator of “Code Week” but may not post there")]
    [InlineData("""{"status":"member","user":BOT}""", "is not an administrator of “Code Week”")]
    [InlineData("""{"status":"left","user":BOT}""", "is not an administrator of “Code Week”")]
    public async Task InAChannelTheBotMustBeAnAdministratorAllowedToPost(string member, string expected)
    {
        var api = new StubBotApi().Answer("getChat", Chat("channel")).Answer("getMe", Me)
            .Answer("getChatMember", member.Replace("BOT", BotUser, StringComparison.Ordinal));

        var result = await CheckAsync(api);

        Assert.False(result.CanPost);
        Assert.Contains(expected, result.Message);
    }

    [Theory]
    [InlineData("""{"status":"member","user":BOT}""", true)]
    [InlineData("""{"status":"restricted","user":BOT,"is_member":true,"can_send_messages":false,"until_date":0}""", false)]
    [InlineData("""{"status":"kicked","user":BOT,"until_date":0}""", false)]
    public async Task InAGroupAMemberThatMaySendCanPost(string member, bool canPost)
    {
        var api = new StubBotApi().Answer("getChat", Chat("supergroup", "Code Week chat")).Answer("getMe", Me)
            .Answer("getChatMember", member.Replace("BOT", BotUser, StringComparison.Ordinal));

        var result = await CheckAsync(api);

        Assert.Equal(canPost, result.CanPost);
        Assert.Contains("“Code Week chat”", result.Message);
    }

    [Fact]
    public async Task AnUnknownChatIsNamedWithWhatToCheck()
    {
        var api = new StubBotApi().Refuse("getChat", 400, "Bad Request: chat not found");

        var result = await CheckAsync(api, "@codeweek_typo");

        Assert.False(result.CanPost);
        Assert.StartsWith("Telegram knows no chat @codeweek_typo, or the bot is not in it.", result.Message);
        Assert.Contains("add the bot to the channel as an administrator", result.Message); // a private channel says "chat not found" too
    }

    [Fact]
    public async Task APrivateChatIsNotAChannel()
    {
        var api = new StubBotApi().Answer("getChat", """{"id":4242,"type":"private","first_name":"Ada","accent_color_id":0,"max_reaction_count":11}""");

        var result = await CheckAsync(api, "4242");

        Assert.False(result.CanPost);
        Assert.Equal("4242 is a person's private chat, not a channel or a group.", result.Message);
    }

    [Theory]
    [InlineData(403, "Forbidden: bot is not a member of the channel chat", "Telegram refused (Forbidden: bot is not a member of the channel chat): add the bot to @codeweek")]
    [InlineData(400, "Bad Request: member not found", "The bot is not in @codeweek")]
    [InlineData(401, "Unauthorized", "Telegram answered 401: Unauthorized")]
    public async Task TelegramsRefusalsSayWhatToDo(int code, string description, string expected)
    {
        var api = new StubBotApi().Answer("getChat", Chat("channel")).Answer("getMe", Me).Refuse("getChatMember", code, description);

        var result = await CheckAsync(api);

        Assert.False(result.CanPost);
        Assert.StartsWith(expected, result.Message);
    }

    [Fact]
    public async Task ATelegramThatDoesNotAnswerIsGivenUpAfterTheCallTimeout()
    {
        var api = new StubBotApi(); // getChat hangs

        var result = await CheckAsync(api, timeoutSeconds: 1);

        Assert.False(result.CanPost);
        Assert.Equal("Telegram did not answer within 1 s; try again.", result.Message);
    }
}
