using System.Net;
using System.Text;
using Telegram.Bot;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>
/// A Bot API that answers each method with a canned Telegram response ("{"ok":true,"result":...}" or an error), for
/// code whose behaviour depends on exactly what Telegram answers. A method with no answer set hangs until cancelled.
/// </summary>
public sealed class StubBotApi : HttpMessageHandler
{
    readonly Dictionary<string, (HttpStatusCode Status, string Body)> _answers = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Calls { get; } = [];

    /// <summary>The methods called so far, while calls may still come.</summary>
    public string[] CallsSoFar()
    {
        lock (_answers) return [.. Calls];
    }

    public StubBotApi Answer(string method, string resultJson) => Set(method, HttpStatusCode.OK, $$"""{"ok":true,"result":{{resultJson}}}""");

    public StubBotApi Refuse(string method, int code, string description) =>
        Set(method, (HttpStatusCode)code, $$"""{"ok":false,"error_code":{{code}},"description":"{{description}}"}""");

    /// <summary>A refusal with Telegram's "parameters" object (retry_after, migrate_to_chat_id).</summary>
    public StubBotApi RefuseWith(string method, int code, string description, string parametersJson) =>
        Set(method, (HttpStatusCode)code, $$"""{"ok":false,"error_code":{{code}},"description":"{{description}}","parameters":{{parametersJson}}}""");

    StubBotApi Set(string method, HttpStatusCode status, string body)
    {
        lock (_answers) _answers[method] = (status, body);
        return this;
    }

    public TelegramBotClient Client() =>
        new(new TelegramBotClientOptions("123456:stub-token") { RetryThreshold = 0 }, new HttpClient(this));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.RequestUri!.Segments[^1];
        (HttpStatusCode Status, string Body) answer;
        lock (_answers)
        {
            Calls.Add(method);
            if (!_answers.TryGetValue(method, out answer))
                answer = default;
        }
        if (answer.Body is null)
            await Task.Delay(Timeout.Infinite, cancellationToken);
        return new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Body!, Encoding.UTF8, "application/json") };
    }
}
