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
        app.MapPost(LogoutPath, async (HttpContext context, SignInManager<Organizer> signIn) =>
        {
            // The antiforgery middleware only records a failed check; an endpoint that binds no form must act on it,
            // or any site could sign an organizer out in the middle of the show.
            if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
                return Microsoft.AspNetCore.Http.Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The sign-out form has expired",
                    detail: "Reload the page and sign out again.");
            await signIn.SignOutAsync();
            return Microsoft.AspNetCore.Http.Results.LocalRedirect($"~{LoginPath}");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }
}
