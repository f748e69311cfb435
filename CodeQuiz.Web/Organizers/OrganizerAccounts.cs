using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CodeQuiz.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Web.Organizers;

/// <summary>One row of the organizers page.</summary>
public sealed record OrganizerRow(string Id, string Email, DateTimeOffset? LockedOutUntil);

/// <summary>
/// Organizer accounts beyond what Identity offers: the first organizer (first-run page, Bootstrap settings) and the
/// organizers page, where organizers add, remove and reset each other. A removal or a new password ends the sessions
/// signed in with the old one (<see cref="OrganizerSessions"/>).
/// </summary>
public sealed partial class OrganizerAccounts(UserManager<Organizer> users, OrganizerSessions sessions, SignInThrottle throttle, TimeProvider time,
    ILogger<OrganizerAccounts> logger)
{
    // Two first-run forms submitted at once must not both create an organizer.
    static readonly SemaphoreSlim FirstGate = new(1, 1);

    // The adds of the last minutes: a double click's second post often comes while the first is still creating the
    // account, so it waits for that same creation rather than racing it.
    static readonly ConcurrentDictionary<string, (Lazy<Task<IdentityResult>> Result, DateTimeOffset At)> Adds = new();
    static readonly TimeSpan AddsKept = TimeSpan.FromMinutes(10);

    public static readonly IdentityError AlreadyExists = new()
    {
        Code = "OrganizerExists",
        Description = "An organizer already exists; ask them to add you on the Organizers page.",
    };

    public static readonly IdentityError NotYourself = new()
    {
        Code = "OrganizerIsYou",
        Description = "You cannot remove yourself; another organizer can.",
    };

    public static readonly IdentityError Unknown = new()
    {
        Code = "OrganizerUnknown",
        Description = "There is no such organizer any more.",
    };

    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) =>
        users.Users.AnyAsync(cancellationToken);

    /// <summary>Creates the first organizer (email is the user name); refused once any organizer exists.</summary>
    public async Task<IdentityResult> CreateFirstAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        await FirstGate.WaitAsync(cancellationToken);
        try
        {
            if (await AnyAsync(cancellationToken))
                return IdentityResult.Failed(AlreadyExists);
            var organizer = new Organizer { UserName = email.Trim(), Email = email.Trim() };
            return await users.CreateAsync(organizer, password);
        }
        finally
        {
            FirstGate.Release();
        }
    }

    public async Task<IReadOnlyList<OrganizerRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var rows = await users.Users
            .Select(u => new { u.Id, u.Email, u.UserName, u.LockoutEnd })
            .ToListAsync(cancellationToken);
        return rows
            .Select(u => new OrganizerRow(u.Id, u.Email ?? u.UserName ?? u.Id,
                new[] { u.LockoutEnd > now ? u.LockoutEnd : null, throttle.LockedUntil(u.Email ?? u.UserName ?? "") }.Max()))
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// Another organizer, who signs in with this email and password (and may change the password). The same add sent
    /// again from the same form (<paramref name="attempt"/>, with the same email and password), as a double click sends
    /// it, gets the first one's answer instead of "already taken", and adds nobody more.
    /// </summary>
    public async Task<IdentityResult> AddAsync(string email, string password, string? by, string? attempt = null)
    {
        if (string.IsNullOrEmpty(attempt))
            return await CreateAsync(email, password, by);

        var now = time.GetUtcNow();
        foreach (var old in Adds.Where(a => now - a.Value.At > AddsKept))
            Adds.TryRemove(old);
        // Hashed: the password is not kept in memory for the minutes the add is remembered.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', attempt, by, email.Trim(), password))));
        var add = Adds.GetOrAdd(key, _ => (new Lazy<Task<IdentityResult>>(() => CreateAsync(email, password, by)), now));
        try
        {
            var result = await add.Result.Value;
            if (!result.Succeeded)
                Adds.TryRemove(KeyValuePair.Create(key, add)); // corrected on the same page, it is a new add
            return result;
        }
        catch
        {
            Adds.TryRemove(KeyValuePair.Create(key, add));
            throw;
        }
    }

    async Task<IdentityResult> CreateAsync(string email, string password, string? by)
    {
        var result = await users.CreateAsync(new Organizer { UserName = email.Trim(), Email = email.Trim() }, password);
        if (result.Succeeded) LogAdded(email.Trim(), by);
        return result;
    }

    /// <summary>Removes an organizer other than <paramref name="currentId"/>; their open sessions end.</summary>
    public async Task<IdentityResult> RemoveAsync(string id, string currentId, string? by)
    {
        if (id == currentId)
            return IdentityResult.Failed(NotYourself);
        if (await users.FindByIdAsync(id) is not { } organizer)
            return IdentityResult.Failed(Unknown);
        var result = await users.DeleteAsync(organizer);
        sessions.Forget(id);
        if (result.Succeeded) LogRemoved(organizer.Email, by);
        return result;
    }

    /// <summary>Gives another organizer a new password (they forgot theirs, or were locked out); their sessions end.</summary>
    public async Task<IdentityResult> ResetPasswordAsync(string id, string password, string? by)
    {
        if (await users.FindByIdAsync(id) is not { } organizer)
            return IdentityResult.Failed(Unknown);
        var token = await users.GeneratePasswordResetTokenAsync(organizer);
        var result = await users.ResetPasswordAsync(organizer, token, password);
        if (result.Succeeded)
        {
            await users.SetLockoutEndDateAsync(organizer, null);
            await users.ResetAccessFailedCountAsync(organizer);
            throttle.Release(organizer.Email ?? organizer.UserName ?? "");
            LogPasswordReset(organizer.Email, by);
        }
        sessions.Forget(id);
        return result;
    }

    /// <summary>The signed-in organizer's own password; their other sessions end, the caller refreshes its own.</summary>
    public async Task<IdentityResult> ChangePasswordAsync(Organizer organizer, string currentPassword, string newPassword)
    {
        var result = await users.ChangePasswordAsync(organizer, currentPassword, newPassword);
        sessions.Forget(organizer.Id);
        if (result.Succeeded) LogPasswordChanged(organizer.Email);
        return result;
    }

    // Who may run the show is worth a line in the log each time it changes.
    [LoggerMessage(LogLevel.Warning, "Organizer {Email} added by {By}")]
    partial void LogAdded(string email, string? by);

    [LoggerMessage(LogLevel.Warning, "Organizer {Email} removed by {By}")]
    partial void LogRemoved(string? email, string? by);

    [LoggerMessage(LogLevel.Warning, "Organizer {Email} was given a new password by {By}")]
    partial void LogPasswordReset(string? email, string? by);

    [LoggerMessage(LogLevel.Information, "Organizer {Email} changed their password")]
    partial void LogPasswordChanged(string? email);
}
