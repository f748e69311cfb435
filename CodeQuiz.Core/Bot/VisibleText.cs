using System.Globalization;
using System.Text;

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
