using CodeQuiz.Core.Settings;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Rehearsal;

namespace CodeQuiz.Web;

public static class RehearsalSetup
{
    /// <summary>The built-in Telegram simulator and its virtual crowd; only in Rehearsal mode.</summary>
    public static WebApplicationBuilder AddRehearsal(this WebApplicationBuilder builder)
    {
        if (!IsRehearsal(builder.Configuration)) return builder;
        builder.Services.AddOptions<RehearsalOptions>()
            .BindSettings(RehearsalOptions.Section)
            .ValidateDataAnnotations()
            .ValidateEach(o => o.Validate())
            .ValidateOnStart();
        builder.Services.AddSingleton<RehearsalChannels>();
        builder.Services.AddSingleton(sp =>
        {
            var simulator = ActivatorUtilities.CreateInstance<TelegramSimulator>(sp);
            // Rehearsing under the real bot's name makes the QR codes printed now the ones for the show.
            if (sp.GetRequiredService<BotIdentity>().Configured is { } name)
                simulator.Bot.Username = name;
            return simulator;
        });
        builder.Services.AddHostedService<RehearsalWorker>();
        return builder;
    }

    /// <summary>The simulator's Bot API at /bot{token}/{method}; absent unless in Rehearsal mode.</summary>
    public static IEndpointRouteBuilder MapRehearsal(this IEndpointRouteBuilder app)
    {
        if (!IsRehearsal(app.ServiceProvider.GetRequiredService<IConfiguration>())) return app;
        app.MapBotApi();
        return app;
    }

    /// <summary>The Telegram settings' mistakes, values that cannot be read among them, are reported by AddTelegram.</summary>
    static bool IsRehearsal(IConfiguration configuration)
    {
        var telegram = new TelegramOptions();
        configuration.BindEach(TelegramOptions.Section, telegram);
        return telegram.EffectiveMode == TelegramMode.Rehearsal;
    }
}
