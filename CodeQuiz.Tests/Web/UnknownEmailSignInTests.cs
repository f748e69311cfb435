using System.Net;
using System.Net.Http.Json;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Components;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// An email that belongs to nobody is answered as a wrong password is, and after as much work: answered without checking
/// a password hash, it came back measurably sooner, and the time of the answer told who is an organizer.
/// </summary>
public sealed class UnknownEmailSignInTests
{
    [Fact]
    public async Task AnUnknownEmailCostsAPasswordCheckAsAKnownOneDoes()
    {
        var hasher = new CountingHasher();
        using var factory = new CodeQuizFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        factory.ConfigureServices = services => services.AddSingleton<IPasswordHasher<Organizer>>(hasher);
        var client = factory.CreateClient();

        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.org", password = "A-guess-2026" });
        var checksForUnknown = hasher.Verifications;
        var known = await client.PostAsJsonAsync("/api/auth/login", new { email = ConsoleClient.Email, password = "A-guess-2026" });

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (unknown.StatusCode, known.StatusCode));
        Assert.Equal(await ProblemAsync(known), await ProblemAsync(unknown));
        Assert.Equal(1, checksForUnknown);
        Assert.Equal(2, hasher.Verifications);
    }

    static async Task<(string?, string?)> ProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString());
    }

    sealed class CountingHasher : IPasswordHasher<Organizer>
    {
        readonly PasswordHasher<Organizer> _inner = new();
        int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(Organizer user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Organizer user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
