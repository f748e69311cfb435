using System.Security.Claims;
using CodeQuiz.Core.Persistence;
using Microsoft.AspNetCore.Identity;

namespace CodeQuiz.Web.Organizers;

public enum PasswordVerdict { Right, Wrong, LockedOut, NotAllowed }

/// <summary>What checking a password came to; <see cref="LockedUntil"/> when it was not checked, or locked with this one.</summary>
public readonly record struct PasswordCheck(PasswordVerdict Verdict, DateTimeOffset? LockedUntil = null)
{
    public bool Succeeded => Verdict == PasswordVerdict.Right;

    /// <summary>Whole minutes until the lock ends, at least one.</summary>
    public int MinutesLeft(DateTimeOffset now) =>
        LockedUntil is { } until ? Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes)) : (int)SignInThrottle.LockTime.TotalMinutes;
}

/// <summary>
/// Organizers' passwords checked with <see cref="SignInThrottle"/> instead of Identity's lockout, which a stranger
/// could set off (see there): the console's sign-in page, the API's login and the organizers page's "your password".
/// </summary>
public sealed class OrganizerSignIn(SignInManager<Organizer> signIn, SignInThrottle throttle)
{
    static readonly Organizer Nobody = new();
    static string? NobodysHash;

    /// <summary>Signs in whoever <paramref name="email"/> (or a user name) names, with the scheme the caller set on SignInManager.</summary>
    public async Task<PasswordCheck> PasswordSignInAsync(HttpContext context, string email, string password, bool isPersistent)
    {
        email = email.Trim();
        var organizer = await signIn.UserManager.FindByEmailAsync(email) ?? await signIn.UserManager.FindByNameAsync(email);
        var check = await CheckPasswordAsync(context, organizer, email, password);
        if (check.Succeeded)
            await signIn.SignInWithClaimsAsync(organizer!, isPersistent, [new Claim("amr", "pwd")]); // what PasswordSignInAsync adds
        return check;
    }

    /// <summary>
    /// The password of <paramref name="organizer"/> (null: nobody has that email, which counts as a wrong password),
    /// from the request's client address; not checked at all while that address is locked out of the account.
    /// </summary>
    public async Task<PasswordCheck> CheckPasswordAsync(HttpContext context, Organizer? organizer, string email, string password)
    {
        var address = context.Connection.RemoteIpAddress;
        email = organizer?.Email ?? email;
        if (throttle.LockedUntil(email, address) is { } until)
            return new(PasswordVerdict.LockedOut, until);
        if (organizer is null)
        {
            // As long as checking a real password, or the time of the answer would tell who is an organizer.
            var hasher = signIn.UserManager.PasswordHasher;
            hasher.VerifyHashedPassword(Nobody, NobodysHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString()), password);
        }
        else
        {
            var result = await signIn.CheckPasswordSignInAsync(organizer, password, lockoutOnFailure: false);
            if (result.Succeeded)
            {
                throttle.Succeeded(email, address);
                return new(PasswordVerdict.Right);
            }
            if (result.IsNotAllowed)
                return new(PasswordVerdict.NotAllowed);
            // A lock Identity set before CodeQuiz counted by address, until it runs out.
            if (result.IsLockedOut)
                return new(PasswordVerdict.LockedOut, organizer.LockoutEnd);
        }
        return throttle.Failed(email, address) is { } locked ? new(PasswordVerdict.LockedOut, locked) : new(PasswordVerdict.Wrong);
    }
}
