namespace CodeQuiz.Web;

public static class LiveSetup
{
    /// <summary>Live statistics for the console, the presenter hub and the channel counter.</summary>
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        return builder;
    }

    /// <summary>The presenter's SignalR hub at /hubs/live.</summary>
    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
