using CodeQuiz.Core.Telegram;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace CodeQuiz.Tests.Core.Telegram;

public class TelegramOptionsTests
{
    const string Token = "123456:ABC-def_ghi";

    [Fact]
    public void WithoutATokenTheModeIsRehearsal()
    {
        var options = new TelegramOptions();
        Assert.Equal(TelegramMode.Rehearsal, options.EffectiveMode);
        Assert.Empty(options.Validate());
        Assert.Equal(TelegramOptions.RehearsalToken, options.EffectiveToken);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8081/tg/")]
    [InlineData("https://api.telegram.org/bot123456:ABC-def_ghi")]
    [InlineData("https://api.telegram.org/?proxy=1")]
    public void AnApiBaseUrlWithAPathIsRefusedWithoutRepeatingItWhereATokenMayBe(string url)
    {
        var mistake = Assert.Single(new TelegramOptions { BotToken = Token, Mode = "Polling", ApiBaseUrl = url }.Validate());
        Assert.StartsWith("Telegram:ApiBaseUrl must be the Bot API server's address alone", mistake);
        Assert.DoesNotContain(url, mistake);
    }

    [Theory]
    [InlineData("http://api.telegram.org")]
    [InlineData("http://api.telegram.org:443/")]
    [InlineData("http://API.Telegram.org")]
    [InlineData("http://api.telegram.org.")] // the same host, written as a fully qualified name
    public void TelegramsOwnServerOverPlainHttpIsRefused(string url)
    {
        var mistake = Assert.Single(new TelegramOptions { BotToken = Token, Mode = "Polling", ApiBaseUrl = url }.Validate());
        Assert.StartsWith("Telegram:ApiBaseUrl must be https://api.telegram.org", mistake);
    }

    [Theory]
    [InlineData("https://api.telegram.org")]
    [InlineData("https://api.telegram.org/")]
    [InlineData("http://127.0.0.1:8081")]
    public void AnApiBaseUrlOfTheServersAddressAloneIsTaken(string url) =>
        Assert.Empty(new TelegramOptions { BotToken = Token, Mode = "Polling", ApiBaseUrl = url }.Validate());

    [Fact]
    public void ATokenWithAWebhookUrlMeansWebhookAndWithoutOnePolling()
    {
        Assert.Equal(TelegramMode.Webhook, new TelegramOptions { BotToken = Token, WebhookUrl = "https://q.example.org/telegram/webhook", SecretToken = "s" }.EffectiveMode);
        Assert.Equal(TelegramMode.Polling, new TelegramOptions { BotToken = Token }.EffectiveMode);
    }

    [Fact]
    public void OnTheExampleFileATokenAloneMeansWebhookModeAndPollingIsChosenByTelegramMode()
    {
        // running-an-event.md's Polling mode sets Telegram__Mode=Polling for this: the example file names a webhook.
        TelegramOptions Bound(params (string Key, string Value)[] environment)
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(Repository.Root, "appsettings.example.json"))
                .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)))
                .Build();
            return configuration.GetSection(TelegramOptions.Section).Get<TelegramOptions>()!;
        }

        var tokenAlone = Bound(("Telegram:BotToken", Token));
        Assert.Equal(TelegramMode.Webhook, tokenAlone.EffectiveMode);
        Assert.Contains(tokenAlone.Validate(), e => e.Contains("Telegram:SecretToken is required"));

        var polling = Bound(("Telegram:BotToken", Token), ("Telegram:Mode", "Polling"));
        Assert.Equal(TelegramMode.Polling, polling.EffectiveMode);
        Assert.Empty(polling.Validate());
    }

    [Theory]
    [InlineData("Sideways", null, null, null, "Telegram:Mode")]
    [InlineData("1", Token, null, null, "Telegram:Mode must be")]
    [InlineData("99", Token, null, null, "Telegram:Mode must be")]
    [InlineData("Rehearsal, Webhook", Token, null, null, "Telegram:Mode must be")]
    [InlineData("Rehearsal", Token, null, null, "Telegram:BotToken is set")]
    [InlineData("Webhook", null, "https://q.example.org/telegram/webhook", "s", "Telegram:BotToken is required")]
    [InlineData("Polling", null, null, null, "Telegram:BotToken is required")]
    [InlineData("Webhook", Token, "http://q.example.org/telegram/webhook", "s", "Telegram:WebhookUrl")]
    [InlineData("Webhook", Token, "not a url", "s", "Telegram:WebhookUrl")]
    [InlineData("Webhook", Token, "https://q.example.org/telegram/webhook", null, "Telegram:SecretToken is required")]
    [InlineData("Webhook", Token, "https://q.example.org/telegram/webhook", "has spaces!", "Telegram:SecretToken must be")]
    [InlineData("Polling", "not-a-token", null, null, "Telegram:BotToken does not look like")]
    [InlineData("Polling", "99999999999999999999:ABC-def", null, null, "Telegram:BotToken does not look like")]
    [InlineData("Webhook", Token, "https://q.example.org:5001/telegram/webhook", "s", "port 443, 80, 88 or 8443")]
    [InlineData("Webhook", Token, "https://q.example.org/hooks/quiz", "s", "must end in /telegram/webhook")]
    public void AMistakeIsReportedNamingTheSetting(string mode, string? token, string? url, string? secret, string expected)
    {
        var errors = new TelegramOptions { Mode = mode, BotToken = token, WebhookUrl = url, SecretToken = secret }.Validate().ToList();
        Assert.Contains(errors, e => e.Contains(expected));
    }

    [Fact]
    public void AWebhookUrlPastedWithSpacesAroundItIsTakenWithoutThem()
    {
        var options = new TelegramOptions { BotToken = Token, WebhookUrl = " https://q.example.org/telegram/webhook\n", SecretToken = "s" };
        Assert.Equal("https://q.example.org/telegram/webhook", options.WebhookUrl);
        Assert.Equal(TelegramMode.Webhook, options.EffectiveMode);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("Webhook", TelegramMode.Webhook)]
    [InlineData(" polling ", TelegramMode.Polling)]
    [InlineData("REHEARSAL", TelegramMode.Rehearsal)]
    public void TheModeIsTakenByItsNameInAnyCase(string mode, TelegramMode expected)
    {
        var options = new TelegramOptions { Mode = mode, BotToken = expected == TelegramMode.Rehearsal ? null : Token, WebhookUrl = "https://q.example.org/telegram/webhook", SecretToken = "s" };
        Assert.Equal(expected, options.EffectiveMode);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("1234567890123456:ABC-def", true)]
    [InlineData("12345678901234567:ABC-def", false)]
    public void ATokenIsAcceptedExactlyWhenTheBotClientTakesIt(string token, bool accepted)
    {
        var errors = new TelegramOptions { Mode = "Polling", BotToken = token }.Validate().ToList();
        Assert.Equal(accepted, errors.Count == 0);
        var client = Record.Exception(() => new global::Telegram.Bot.TelegramBotClientOptions(token));
        Assert.Equal(accepted, client is null);
    }

    [Theory]
    [InlineData("0:ABC-def_ghi")]
    [InlineData("000000:ABC-def_ghi")]
    [InlineData("0123456:ABC-def_ghi")]
    [InlineData("123456:")]
    [InlineData(":ABC-def_ghi")]
    [InlineData("123456:ABC def")]
    [InlineData("123456:ABC-def:ghi")]
    [InlineData("١٢٣٤٥٦:ABC-def_ghi")] // digits, but not the ones Telegram writes
    public void WhatCannotBeABotTokenIsRefusedNamingTheSetting(string token)
    {
        var errors = new TelegramOptions { Mode = "Polling", BotToken = token }.Validate().ToList();
        Assert.Contains(errors, e => e.StartsWith("Telegram:BotToken does not look like a bot token", StringComparison.Ordinal));
    }

    [Fact]
    public void ATokenReadFromAFileWithItsLineBreakIsTakenWithoutIt()
    {
        var options = new TelegramOptions { Mode = "Polling", BotToken = Token + "\n" };
        Assert.Equal(Token, options.BotToken);
        Assert.Empty(options.Validate());
        Assert.Equal(123456, options.EffectiveBotId);
    }

    [Theory]
    [InlineData("https://t.me/CodeWeekQuizBot", false)]
    [InlineData("Code Week Quiz Bot", false)]
    [InlineData("@Bot", false)]
    [InlineData("@CodeWeekQuizBot", true)]
    [InlineData(" code_week_quiz_bot ", true)]
    public void ABotUsernameThatCannotBeTelegramsIsRefused(string username, bool accepted)
    {
        var errors = new TelegramOptions { BotUsername = username }.Validate().ToList();
        if (accepted) Assert.Empty(errors);
        else Assert.Contains(errors, e => e.StartsWith("Telegram:BotUsername must be", StringComparison.Ordinal));
    }

    [Fact]
    public void MaxConnectionsOutsideOneToAHundredIsRefused()
    {
        Assert.Contains(new TelegramOptions { MaxConnections = 0 }.Validate(), e => e.Contains("Telegram:MaxConnections"));
        Assert.Contains(new TelegramOptions { MaxConnections = 101 }.Validate(), e => e.Contains("Telegram:MaxConnections"));
    }

    [Fact]
    public void AValidWebhookConfigurationHasNoErrors()
    {
        var options = new TelegramOptions { BotToken = Token, WebhookUrl = "https://q.example.org/telegram/webhook", SecretToken = new string('a', 256) };
        Assert.Empty(options.Validate());
        Assert.False(TelegramOptions.IsValidSecret(new string('a', 257)));
        Assert.Empty(new TelegramOptions { BotToken = Token, WebhookUrl = "https://q.example.org:8443/quiz/telegram/webhook", SecretToken = "s" }.Validate());
        // A local Bot API server delivers to any port.
        Assert.Empty(new TelegramOptions
        {
            BotToken = Token, WebhookUrl = "https://q.example.org:5001/telegram/webhook", SecretToken = "s", ApiBaseUrl = "http://127.0.0.1:8081",
        }.Validate());
    }
}
