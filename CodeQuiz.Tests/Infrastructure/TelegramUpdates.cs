using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>Builds private-chat updates the way Telegram shapes them, and posts them to the webhook.</summary>
public sealed class TelegramUpdates(HttpClient client, string secret)
{
    int _nextId = 500_000_000;

    /// <summary>
    /// Telegram's clock, which dates the messages: the app's own when a test sets its time, as a real server's clock
    /// and Telegram's agree to within a second or so.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public int NextId => _nextId + 1;

    public Update Text(long from, string text, string firstName = "Ada", string? lastName = null, int? updateId = null) => new()
    {
        Id = updateId ?? ++_nextId,
        Message = new Message
        {
            Id = _nextId % 1_000_000,
            Date = Clock.GetUtcNow().UtcDateTime,
            Chat = new Chat { Id = from, Type = ChatType.Private, FirstName = firstName },
            From = new User { Id = from, FirstName = firstName, LastName = lastName, LanguageCode = "en" },
            Text = text,
        },
    };

    public Update Button(long from, string data, int messageId = 1, string firstName = "Ada") => new()
    {
        Id = ++_nextId,
        CallbackQuery = new CallbackQuery
        {
            Id = "cb" + _nextId,
            From = new User { Id = from, FirstName = firstName },
            Message = new Message { Id = messageId, Date = Clock.GetUtcNow().UtcDateTime, Chat = new Chat { Id = from, Type = ChatType.Private } },
            ChatInstance = "1",
            Data = data,
        },
    };

    public async Task<HttpResponseMessage> PostAsync(Update update)
    {
        var response = await TryPostAsync(update);
        Assert.True(response.IsSuccessStatusCode, $"update {update.Id} got {(int)response.StatusCode}");
        return response;
    }

    /// <summary>Posts the update as Telegram does and returns whatever the webhook answered.</summary>
    public Task<HttpResponseMessage> TryPostAsync(Update update, CancellationToken cancellationToken = default)
    {
        var content = new StringContent(JsonSerializer.Serialize(update, JsonBotAPI.Options), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = content };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return client.SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> SendAsync(long from, string text, string firstName = "Ada", string? lastName = null) =>
        PostAsync(Text(from, text, firstName, lastName));
}
