using System.Buffers;
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
    /// <summary>
    /// What a participant sent (their names, a team name, an answer) as it is stored and then shown on the projector, in
    /// the channel and in the CSV files: C0 and C1 control characters left out (a line break kept, a tab or other spacing
    /// control made a space), and the direction overrides, embeddings and isolates it leaves open closed at its end, so
    /// that a name cannot show the rest of a line backwards on a page that does not close it itself. Telegram's clients
    /// type neither; pasted text and hand-made updates bring them. Text with none, nearly all, is returned as it is after
    /// one vectorized scan: this runs on every update.
    /// </summary>
    public static string Tidy(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny(Untidy) < 0)
            return text ?? "";
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || !char.IsControl(c))
                sb.Append(c);
            else if (c == '\r')
            {
                if (i + 1 == text.Length || text[i + 1] != '\n')
                    sb.Append('\n');
            }
            else if (char.IsWhiteSpace(c)) // tab, vertical tab, form feed, the separators U+001C–U+001F, next line U+0085
                sb.Append(' ');
        }
        return TelegramHtml.CloseDirections(sb.ToString());
    }

    static readonly SearchValues<char> Untidy = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c != '\n').Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c),
         .. "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"]);

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
