using System.Collections.Concurrent;
using System.Security.Claims;
using CodeQuiz.Core.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// Ends an organizer's sessions soon after the account is removed or its password is changed. Console cookies, API
/// bearer tokens and open console tabs all carry the account's security stamp; a session whose stamp is no longer the
/// account's counts as signed out. Each organizer's stamp is read again at most once a <see cref="CheckInterval"/>,
/// and at once after a change made through <see cref="OrganizerAccounts"/>.
/// </summary>
public sealed class OrganizerSessions(IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, TimeProvider time)
{
    /// <summary>How long a stamp read from the database is trusted.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    readonly ConcurrentDictionary<string, (string Stamp, DateTimeOffset ReadAt)> _stamps = new();

    /// <summary>The console cookie's check on every request: a stale cookie is refused and removed.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<OrganizerSessions>();
        if (context.Principal is null || !await sessions.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context); // Identity's own check, which also renews the cookie
    }

    /// <summary>The API bearer token's check on every request: a stale token gets 401 like an expired one.</summary>
    public static async Task ValidateBearerAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return;
        var ticket = context.Options.BearerTokenProtector.Unprotect(header["Bearer ".Length..].Trim());
        if (ticket is null)
            return; // the handler refuses it itself
        var sessions = context.HttpContext.RequestServices.GetRequiredService<OrganizerSessions>();
        if (!await sessions.IsCurrentAsync(ticket.Principal, context.HttpContext.RequestAborted))
            context.Fail("The organizer was removed or changed their password; sign in again.");
    }

    /// <summary>False when the principal is an organizer's session that was removed or signed out by a password change.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var claims = identity.Value.ClaimsIdentity;
        if (principal.Identity?.IsAuthenticated != true || principal.FindFirstValue(claims.UserIdClaimType) is not { } id)
            return true; // not an organizer's session: nothing to check
        var stamp = principal.FindFirstValue(claims.SecurityStampClaimType);
        var now = time.GetUtcNow();
        if (stamp is not null && _stamps.TryGetValue(id, out var known) && known.Stamp == stamp && now - known.ReadAt < CheckInterval)
            return true;

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Organizer>>();
        if (await users.FindByIdAsync(id) is not { } organizer)
        {
            _stamps.TryRemove(id, out _);
            return false;
        }
        var current = await users.GetSecurityStampAsync(organizer);
        _stamps[id] = (current, now);
        return current == stamp;
    }

    /// <summary>The organizer's account changed: the next request of each of their sessions reads the stamp again.</summary>
    public void Forget(string organizerId) => _stamps.TryRemove(organizerId, out _);
}

/// <summary>
/// An open console tab checks its organizer's session every few seconds, so a removed organizer's live page is
/// signed out without waiting for a reload.
/// </summary>
public sealed partial class OrganizerCircuitAuthentication : RevalidatingServerAuthenticationStateProvider
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    readonly OrganizerSessions _sessions;
    readonly ILogger _logger;
    readonly TimeSpan _interval;

    public OrganizerCircuitAuthentication(ILoggerFactory loggerFactory, OrganizerSessions sessions)
        : this(loggerFactory, sessions, Interval)
    {
    }

    internal OrganizerCircuitAuthentication(ILoggerFactory loggerFactory, OrganizerSessions sessions, TimeSpan interval)
        : base(loggerFactory)
    {
        _sessions = sessions;
        _logger = loggerFactory.CreateLogger<OrganizerCircuitAuthentication>();
        _interval = interval;
    }

    protected override TimeSpan RevalidationInterval => _interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            return await _sessions.IsCurrentAsync(authenticationState.User, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The base class signs the tab out on any error: a database that cannot be read for a moment must not
            // throw every organizer out of the live page in the middle of the show.
            LogCheckFailed(e);
            return true;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not check an open console tab's session; it stays signed in until the next check")]
    partial void LogCheckFailed(Exception e);
}
