using System.Security.Cryptography;

namespace CodeQuiz.Core.Quizzes;

/// <summary>Random, URL-safe identifiers that cannot be guessed.</summary>
public static class Tokens
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Letters and digits without the look-alikes 0 O o 1 l I: a code is sometimes typed from the presenter screen.</summary>
    const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>A deep-link code: 10 characters of <see cref="CodeAlphabet"/> (about 58 bits), well under Telegram's 64-character limit and our 16.</summary>
    public static string NewQuestionCode() => RandomNumberGenerator.GetString(CodeAlphabet, 10);

    public static string NewPresenterToken() => RandomNumberGenerator.GetString(Alphabet, 24);

    /// <summary>Deep-link safe: A-Za-z0-9_- and at most 16 characters.</summary>
    public static bool IsValidQuestionCode(string? code) =>
        code is { Length: > 0 and <= 16 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
