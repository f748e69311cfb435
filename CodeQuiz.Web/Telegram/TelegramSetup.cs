namespace CodeQuiz.Web;

public static class TelegramSetup
{
    /// <summary>The bot client, the ingest pipeline, the outbox sender and the mode's update source.</summary>
    public static WebApplicationBuilder AddTelegram(this WebApplicationBuilder builder)
    {
        return builder;
    }

    /// <summary>POST /telegram/webhook.</summary>
    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
