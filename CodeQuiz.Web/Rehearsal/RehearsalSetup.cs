namespace CodeQuiz.Web;

public static class RehearsalSetup
{
    /// <summary>The built-in Telegram simulator and its virtual crowd; only in Rehearsal mode.</summary>
    public static WebApplicationBuilder AddRehearsal(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapRehearsal(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
