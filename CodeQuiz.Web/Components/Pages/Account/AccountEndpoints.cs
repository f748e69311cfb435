using CodeQuiz.Core.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace CodeQuiz.Web.Components.Pages.Account;

public static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string FirstRunPath = "/account/first-run";
    public const string LogoutPath = "/account/logout";

    /// <summary>POST /account/logout: the console's sign-out form (antiforgery-checked), back to the login page.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LogoutPath, async (SignInManager<Organizer> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect($"~{LoginPath}");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }
}
