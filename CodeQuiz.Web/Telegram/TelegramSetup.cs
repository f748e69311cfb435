using System.Security.Cryptography;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Settings;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace CodeQuiz.Web;

public static class TelegramSetup
{
    const string RehearsalPlaceholder = "http://rehearsal.invalid";

    /// <summary>The bot client, the ingest pipeline, the outbox sender and the mode's update source.</summary>
    public static WebApplicationBuilder AddTelegram(this WebApplicationBuilder builder)
    {
        // Checked here, not at start with the other sections: the mode decides what is registered.
        var options = new TelegramOptions();
        SettingMistakes.Of(builder).Add([.. builder.Configuration.BindEach(TelegramOptions.Section, options), .. options.Validate()]);
        var mode = options.EffectiveMode;

        var services = builder.Services;
        services.AddOptions<TelegramOptions>().BindSettings(TelegramOptions.Section);
        services.AddIngestPipeline();
        services.AddSingleton<AppAddress>();
        services.AddSingleton<BotStatus>();
        services.AddSingleton<ChannelCheck>();
        services.AddSingleton<WebhookReplies>();
        // Rehearsal makes up a secret per run unless one is configured; the simulator learns it from setWebhook.
        services.AddSingleton(new WebhookSecret(options.SecretToken is { Length: > 0 } s ? s
            : mode == TelegramMode.Rehearsal ? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)) : null));

        var http = services.AddHttpClient("telegram", c => c.Timeout = TimeSpan.FromSeconds(60))
            .RemoveAllLoggers(); // Bot API URLs carry the token: never log them
        if (mode == TelegramMode.Rehearsal)
        {
            services.AddTransient<SelfAddressHandler>();
            http.AddHttpMessageHandler<SelfAddressHandler>();
        }
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            var baseUrl = o.EffectiveMode == TelegramMode.Rehearsal ? RehearsalPlaceholder : o.ApiBaseUrl;
            var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient("telegram");
            // The outbox handles 429 itself (pausing the whole bot); the client must not sleep inside a call.
            return new TelegramBotClient(new TelegramBotClientOptions(o.EffectiveToken, baseUrl) { RetryThreshold = 0 }, client);
        });

        services.AddHostedService<OutboxSender>();
        if (mode == TelegramMode.Polling)
            services.AddHostedService<PollingService>();
        else
            services.AddHostedService<WebhookRegistration>();
        return builder;
    }

    /// <summary>POST /telegram/webhook.</summary>
    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app) => app.MapWebhook();
}
