using CodeQuiz.Core.Live;
using CodeQuiz.Core.Settings;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Live;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeQuiz.Web;

public static class LiveSetup
{
    /// <summary>Live statistics for the console, the presenter hub and the channel counter.</summary>
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LiveStats>();
        services.TryAddSingleton<BotIdentity>();
        services.AddOptions<PresenterOptions>().BindSettings(PresenterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSignalR();
        services.AddSingleton<PresenterFeed>();
        services.AddSingleton<PresenterAudience>();
        services.AddHostedService<LiveBroadcaster>();
        return builder;
    }

    /// <summary>The presenter's SignalR hub at /hubs/live; the presenter token, not a login, opens an event's feed.</summary>
    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapHub<LiveHub>(LiveHub.Path).AllowAnonymous();
        return app;
    }
}
