using CodeQuiz.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Web.Organizers;

/// <summary>Organizer accounts beyond what Identity offers: the first-run page and the Bootstrap settings use it.</summary>
public sealed class OrganizerAccounts(UserManager<Organizer> users)
{
    // Two first-run forms submitted at once must not both create an organizer.
    static readonly SemaphoreSlim FirstGate = new(1, 1);

    public static readonly IdentityError AlreadyExists = new()
    {
        Code = "OrganizerExists",
        Description = "An organizer already exists; ask them to sign you in.",
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
}
