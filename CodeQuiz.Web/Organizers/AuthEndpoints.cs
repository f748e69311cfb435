using CodeQuiz.Core.Persistence;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web.Organizers;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>
/// Bearer sign-in for scripts and tools. Only login and refresh: there is no open registration,
/// organizers are created by the first-run page, the Bootstrap settings or another organizer.
/// </summary>
public static class AuthEndpoints
{
    /// <summary>Login and refresh bodies: an email, a password or a refresh token, with room to spare.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapAuth(this RouteGroupBuilder api)
    {
        // Open to anyone: a body far larger than an email and a password (the server's 30 MB otherwise) is refused unread.
        var auth = api.MapGroup("/auth").AllowAnonymous().WithTags("Auth")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        auth.MapPost("/login", LoginAsync).Produces<AccessTokenResponse>();
        auth.MapPost("/refresh", RefreshAsync).Produces<AccessTokenResponse>();
        return api;
    }

    static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext context, SignInManager<Organizer> signIn, OrganizerSignIn organizers, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email))
            errors["email"] = ["Email is required."];
        if (string.IsNullOrEmpty(request.Password))
            errors["password"] = ["Password is required."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        // The bearer handler writes {"tokenType","accessToken","expiresIn","refreshToken"} itself on sign-in.
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var check = await organizers.PasswordSignInAsync(context, request.Email!, request.Password!, isPersistent: false);
        if (check.Succeeded)
            return TypedResults.Empty;
        if (check.Verdict == PasswordVerdict.LockedOut)
        {
            var minutes = check.MinutesLeft(time.GetUtcNow());
            context.Response.Headers.RetryAfter = (minutes * 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Locked out",
                detail: $"Too many failed sign-in attempts from this address; try again in {minutes} minute{(minutes == 1 ? "" : "s")}.");
        }
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong email or password",
            detail: "The email or the password is wrong.");
    }

    static async Task<Results<SignInHttpResult, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, SignInManager<Organizer> signIn, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider time)
    {
        var ticket = string.IsNullOrEmpty(request.RefreshToken)
            ? null
            : bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } organizer)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Refresh token refused",
                detail: "The refresh token is unknown or expired; sign in again.");
        var principal = await signIn.CreateUserPrincipalAsync(organizer);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }
}
