using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Web.Telegram;
using Telegram.Bot;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Tests.Web.Telegram;

/// <summary>
/// The call in a webhook response is written by hand; it must say what Telegram.Bot's own request, serialized with the
/// Bot API's options, says: the same fields with the same values.
/// </summary>
public class WebhookResponseBodyTests
{
    static readonly string Keyboard = JsonSerializer.Serialize(new InlineKeyboardMarkup(
    [
        [InlineKeyboardButton.WithCallbackData("A · while", "a:LoopQ00001:0"), InlineKeyboardButton.WithCallbackData("B \"for\"", "a:LoopQ00001:1")],
        [InlineKeyboardButton.WithUrl("Rules", "https://example.org/rules?a=1&b=2")],
    ]), JsonBotAPI.Options);

    [Theory]
    [InlineData("Answer A recorded ✅")]
    [InlineData("Quotes \" and back\\slash, <b>tags</b> & a line\nbreak, émoji 🥇 and \u2028")]
    [InlineData("")]
    [InlineData(null)]
    public void AToastSaysWhatTelegramBotWouldSend(string? text)
    {
        var toast = new OutboxMessage { Method = OutboxMethod.AnswerCallbackQuery, ChatId = "42", CallbackQueryId = "4711000000000042", Text = text };

        AssertSame(new AnswerCallbackQueryRequest { CallbackQueryId = "4711000000000042", Text = text, IsWebhookResponse = true }, toast);
    }

    [Theory]
    [InlineData("50", "You are in: <b>Question 1</b> — answer with a message.", true)]
    [InlineData("-1001234567890", "Line one\nline \"two\" 🥈", false)]
    [InlineData("9007199254740993", "", true)]
    public void AReplySaysWhatTelegramBotWouldSend(string chat, string text, bool withKeyboard)
    {
        var reply = new OutboxMessage
        {
            Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.Reply, ChatId = chat, Text = text,
            ReplyMarkupJson = withKeyboard ? Keyboard : null,
        };

        AssertSame(new SendMessageRequest
        {
            ChatId = long.Parse(chat, System.Globalization.CultureInfo.InvariantCulture),
            Text = text,
            ParseMode = ParseMode.Html,
            ReplyMarkup = withKeyboard ? JsonSerializer.Deserialize<InlineKeyboardMarkup>(Keyboard, JsonBotAPI.Options) : null,
            LinkPreviewOptions = new LinkPreviewOptions { IsDisabled = true },
            IsWebhookResponse = true,
        }, reply);
    }

    static void AssertSame<TRequest>(TRequest expected, OutboxMessage message)
    {
        var written = Encoding.UTF8.GetString(WebhookEndpoints.ResponseBody(message));
        var library = JsonSerializer.Serialize(expected, JsonBotAPI.Options);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(library), JsonNode.Parse(written)), $"written: {written}\nTelegram.Bot: {library}");
    }
}
