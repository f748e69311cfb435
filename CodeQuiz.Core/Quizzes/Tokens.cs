using System.Security.Cryptography;

namespace CodeQuiz.Core.Quizzes;

/// <summary>Random, URL-safe identifiers that cannot be guessed.</summary>
public static class Tokens
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Letters and digits without the look-alikes 0 O o 1 l I: a code is sometimes typed from the presenter screen.</summary>
    const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>A deep-link code: 10 characters of <see cref="CodeAlphabet"/> (about 58 bits), well under Telegram's 64-character limit and our 16.</summary>
    public static string NewQuestionCode() => RandomNumberGenerator.GetString(CodeAlphabet, QuestionCodeLength);

    public const int QuestionCodeLength = 10;

    public static string NewPresenterToken() => RandomNumberGenerator.GetString(Alphabet, 24);

    /// <summary>Deep-link safe: A-Za-z0-9_- and at most 16 characters.</summary>
    public static bool IsValidQuestionCode(string? code) =>
        code is { Length: > 0 and <= 16 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>
    /// The one question whose code <paramref name="typed"/> is with a slip of the finger, capitals aside: a character wrong,
    /// left out or added, or two neighbours swapped, as happens when ten characters are typed off a projector. Only codes of
    /// <see cref="QuestionCodeLength"/> count: they are random, so no answer comes this close to one by chance. Null when no
    /// code, or more than one, is that close.
    /// </summary>
    public static Question? QuestionOneSlipFrom(IEnumerable<Question> questions, string typed)
    {
        if (typed.Length is < QuestionCodeLength - 1 or > QuestionCodeLength + 1 || !typed.All(char.IsAsciiLetterOrDigit))
            return null; // most answers: not even shaped like a code
        Question? found = null;
        foreach (var question in questions)
        {
            if (!IsOneSlipFrom(typed, question.Code))
                continue;
            if (found is not null)
                return null;
            found = question;
        }
        return found;
    }

    static bool IsOneSlipFrom(string typed, string code)
    {
        if (code.Length != QuestionCodeLength || Math.Abs(typed.Length - code.Length) > 1)
            return false;
        var i = 0;
        while (i < typed.Length && i < code.Length && Same(typed[i], code[i]))
            i++;
        if (typed.Length == code.Length)
            return i == code.Length                  // the same but for capitals
                || Rest(typed, i + 1, code, i + 1)   // one character wrong
                || i + 1 < code.Length && Same(typed[i], code[i + 1]) && Same(typed[i + 1], code[i]) && Rest(typed, i + 2, code, i + 2); // two neighbours swapped
        return typed.Length < code.Length
            ? Rest(typed, i, code, i + 1)  // one left out
            : Rest(typed, i + 1, code, i); // one added
    }

    static bool Rest(string typed, int t, string code, int c) =>
        typed.Length - t == code.Length - c && typed.AsSpan(t).Equals(code.AsSpan(c), StringComparison.OrdinalIgnoreCase);

    static bool Same(char a, char b) => char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
