using System.Text;
using System.Text.RegularExpressions;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Core.Bot;

/// <summary>
/// A hello or a thank-you sent on seeing a prompt ("ciao!", "Ok 👍", "grazie mille", "thank you"): a reflex, not an answer,
/// and it would spend the participant's one chance at the question. English and Italian, the languages the bot speaks.
/// </summary>
internal static partial class Greeting
{
    public static bool Is(string text)
    {
        if (text.Length > 64)
            return false;
        // Emoji and sentence punctuation around the words are part of the reflex ("ciao a tutti!! 👋"); a digit or any
        // other sign is not ("ok 2", "hi()"): that is an answer.
        var words = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
                words.Append(Rune.ToLowerInvariant(rune).ToString());
            else if (Rune.IsWhiteSpace(rune) || rune.IsBmp && AnswerMatcher.IsEdgePunctuation((char)rune.Value) || VisibleText.IsEmojiPart(rune))
                words.Append(' ');
            else
                return false;
        }
        return Words().IsMatch(words.ToString());
    }

    /// <summary>Whether <paramref name="accepted"/> has a word of <paramref name="text"/>, in any case.</summary>
    public static bool SharesAWord(string text, string accepted)
    {
        var words = LetterWords(accepted);
        return LetterWords(text).Overlaps(words);
    }

    static HashSet<string> LetterWords(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var rune in (text + " ").EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        return words;
    }

    // Words apart by spaces, one way only to read a text: "(?:k+\s*)+" reads "kkk…" in 2^n ways and takes hours to refuse
    // "kkk…kx", holding the single writer and every update behind it.
    [GeneratedRegex(
        @"^\s*(?:" + Word + @")(?:\s+(?:" + Word + @"))*\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    const string Word =
        @"(?:ok+|okay|okey|oki|k+|ciao+|hi+|hello+|hey+|salve|buongiorno|buonasera|grazie(?:\s+mille)?|thanks|thank\s+you|thx|eccomi)(?:\s+a\s+tutti|\s+all|\s+everyone)?";
}
