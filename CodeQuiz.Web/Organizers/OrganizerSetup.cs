namespace CodeQuiz.Web;

public static class OrganizerSetup
{
    /// <summary>Identity, cookie and bearer authentication, the first organizer from Bootstrap settings.</summary>
    public static WebApplicationBuilder AddOrganizers(this WebApplicationBuilder builder)
    {
        return builder;
    }

    /// <summary>The organizer HTTP API under /api.</summary>
    public static IEndpointRouteBuilder MapOrganizerApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
