using System.Security.Cryptography;
using System.Text;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// Until the first organizer exists, whoever opens the first-run page may become it. From a browser on the server itself
/// that is the person who started CodeQuiz; from anywhere else (a server on the internet, waiting for its owner to open
/// the console) the page also needs this code, made at each start and written in the log.
/// </summary>
public sealed class FirstRunCode
{
    public string Value { get; } = RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 16);

    /// <summary>A caller on this machine, or one that brings this start's code, in any case (typed from a phone, say).</summary>
    public bool Admits(HttpContext context, string? code) =>
        ThisMachine.IsCaller(context)
        || (code is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(code.Trim().ToLowerInvariant()), Encoding.UTF8.GetBytes(Value)));
}
