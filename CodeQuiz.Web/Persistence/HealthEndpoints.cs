namespace CodeQuiz.Web;

public static class HealthEndpoints
{
    /// <summary>GET /healthz: 200 once the database is migrated and the pipeline runs.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute()).AllowAnonymous();
        return app;
    }
}
