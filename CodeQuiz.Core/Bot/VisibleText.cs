using System.Globalization;
using System.Text;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Core.Bot;

/// <summary>
/// What of a name shows on a screen. Telegram accepts names made of zero-width spaces or Hangul fillers,
/// and such a name would stand blank on the projector's podium.
/// </summary>
internal static class VisibleText
{
    /// <summary>Characters (emoji count once) that draw something: not whitespace, format characters, lone marks or blank letters.</summary>
    public static int Count(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return 0;
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
            if (IsVisible(rune))
                count++;
        return count;
    }

    /// <summary>
    /// Emoji and other pictographs only ("👍", "🙏🏻", "🇮🇹", "❤️"), with the joiners, selectors and skin tones that build
    /// them, spaces between and sentence punctuation around them ("👍!", "🙏🙏..."): no letter, digit or other sign.
    /// </summary>
    public static bool IsOnlyEmoji(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return false;
        var pictographs = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsPictograph(rune))
                pictographs++;
            // Sentence punctuation, as answers are compared without it; "&&", "@" or "/" may be what a code quiz asks for.
            else if (!IsEmojiPart(rune) && !Rune.IsWhiteSpace(rune) && !(rune.IsBmp && AnswerMatcher.IsEdgePunctuation((char)rune.Value)))
                return false;
        }
        return pictographs > 0;
    }

    /// <summary>A pictograph, or what builds one: joiners, selectors, skin tones, the keycap.</summary>
    public static bool IsEmojiPart(Rune rune) => IsPictograph(rune) || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.ModifierSymbol => rune.Value is >= 0x1F3FB and <= 0x1F3FF, // skin tones
        UnicodeCategory.NonSpacingMark => rune.Value is >= 0xFE00 and <= 0xFE0F, // variation selectors
        UnicodeCategory.EnclosingMark => rune.Value == 0x20E3, // keycap
        UnicodeCategory.Format => true, // zero-width joiner, tag characters of subdivision flags
        _ => false,
    };

    static bool IsPictograph(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.OtherSymbol => true,
        UnicodeCategory.OtherPunctuation => rune.Value is 0x203C or 0x2049, // ‼️ and ⁉️ of the emoji keyboard
        _ => false,
    };

    static bool IsVisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
            // Hangul fillers and the blank Braille pattern are letters and symbols that draw nothing.
            _ => rune.Value is not (0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800),
        };
}
