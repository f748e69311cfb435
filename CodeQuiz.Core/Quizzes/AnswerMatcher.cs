using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CodeQuiz.Core.Quizzes;

/// <summary>Whether an answer is right, and for multiple choice which option it chose (null when none).</summary>
public readonly record struct AnswerMatch(bool IsCorrect, int? OptionIndex)
{
    /// <summary>
    /// A typed letter that is one option's letter and another option's text ("a" with options b, a, c), or a
    /// letter and text that name different options ("A) for" when for is B): the two options it could mean.
    /// No option is chosen then.
    /// </summary>
    public (int ByLetter, int ByText)? Ambiguity { get; init; }
}

/// <summary>
/// Decides whether a participant's answer is right. Runs for every answer, so it neither builds
/// regular expressions nor allocates on the common path: each question's accepted answers are
/// normalized once and cached with the question.
/// </summary>
/// <remarks>
/// Free text ignores case, accents (ß→ss, æ→ae, œ→oe, ø→o, ł→l, đ/ð→d, þ→th, ς→σ), typographic quotes
/// and dashes (— is "--", as a phone's smart punctuation makes it), full-width and other compatibility
/// forms (ｇｉｏ, ﬁ, … for "..."), invisible format characters (soft hyphen, zero-width space,
/// direction marks), runs of whitespace, surrounding whitespace and surrounding sentence punctuation
/// (<c>. , ! ? ; : … ¡ ¿</c> and quotes), so "  Giò! " matches "gio". Brackets and symbols such as
/// <c># + * ( )</c> are kept ("C#" is not "C", "≠" is not "="), and so are super- and subscripts
/// ("2³" is not "23"); an answer made only of punctuation compares as typed.
/// Emoji compare as themselves (variation selectors and skin tones aside); an answer that matched nothing is compared
/// again without the emoji before or after it ("gio 😊"). A wrong answer numbered with its own
/// question's number, as on an exam sheet ("1) gio", "Question 1: gio"), is compared again without the number, and one
/// that starts with a bot's username ("@CodeQuizBot gio") without the mention.
/// <para>
/// Numbers accept "3,14" and "3.14", a leading sign, an exponent, and thousands grouped with spaces,
/// apostrophes or underscores ("1 000"). With both '.' and ',' the last one is the decimal mark
/// ("1.000,5" and "1,000.5"); a mark repeated is a thousands separator ("1,000,000"). A single mark
/// before exactly three digits ("1,000", "3.141") is ambiguous, so both readings are tried against
/// the expected value. Digits may be of any script (٤٢, ４２).
/// </para>
/// <para>
/// Multiple choice accepts the option's text, its letter ("A", "b)"), or both as the prompt lists them
/// ("B) for", "b - for"; a letter and text that disagree choose neither). A bare letter that is one option's
/// letter and another option's text (options "b", "a": is "a" button A or button B?) chooses neither.
/// </para>
/// </remarks>
public static class AnswerMatcher
{
    public static AnswerMatch Match(Question question, string text)
    {
        ArgumentNullException.ThrowIfNull(question);
        var key = AnswerKey.For(question);
        var match = key.Match(text ?? "");
        // "@CodeQuizBot gio", as typed by someone used to addressing a bot in a group: the mention is no part of the answer.
        // Only an answer that matched nothing is read again, so an option or accepted answer written so stays as it is.
        if (!match.IsCorrect && match.OptionIndex is null && AfterBotMention(text) is { } unmentioned)
        {
            text = unmentioned;
            match = key.Match(text);
        }
        // "gio 😊", "B 👍", "42 🎉": an emoji before or after the answer is no part of it. Only an answer that matched nothing
        // is read again, so an accepted answer or option with an emoji in it is compared as written first.
        if (!match.IsCorrect && match.OptionIndex is null && WithoutEdgeEmoji(text) is { } plain)
        {
            text = plain;
            match = key.Match(text);
        }
        // "1) gio" or "Question 1: gio", numbered as on an exam sheet: the number is the question's own, so the rest is the
        // answer. Only a wrong free-text answer is read again (multiple choice and numbers ask again without spending the chance).
        if (!match.IsCorrect && question.Kind == QuestionKind.FreeText && AfterQuestionNumber(text, question.Position) is { } rest)
            return key.Match(rest);
        return match;
    }

    /// <summary>
    /// The text after a bot's username at its start ("@CodeQuizBot gio", "@somethingbot: 42"), else null. A bot's username
    /// is 5–32 of A–Z, a–z, 0–9 and '_', and ends in "bot" in any case; a person's mention ("@giulia gio") stays part of the
    /// answer.
    /// </summary>
    public static string? AfterBotMention(string? text)
    {
        var s = (text ?? "").AsSpan().TrimStart();
        if (s.IsEmpty || s[0] != '@')
            return null;
        var length = 1;
        while (length < s.Length && (char.IsAsciiLetterOrDigit(s[length]) || s[length] == '_'))
            length++;
        var username = s[1..length];
        if (username.Length is < 5 or > 32 || !username.EndsWith("bot", StringComparison.OrdinalIgnoreCase))
            return null;
        var rest = s[length..];
        // "@CodeQuizBot: gio" or "@CodeQuizBot, gio", as a name is addressed; anything else against it makes another word.
        if (!rest.IsEmpty && rest[0] is ':' or ',')
            rest = rest[1..];
        else if (rest.IsEmpty || !char.IsWhiteSpace(rest[0]))
            return null;
        rest = rest.Trim();
        return rest.IsEmpty ? null : rest.ToString();
    }

    /// <summary>A wrong answer as <see cref="Match"/> read it the last time: without a bot's mention, nor emoji around it.</summary>
    public static string AsRead(string text) =>
        AfterBotMention(text) is { } unmentioned ? WithoutEdgeEmoji(unmentioned) ?? unmentioned : WithoutEdgeEmoji(text) ?? text;

    /// <summary>
    /// The text without the emoji (with what builds them: joiners, selectors, skin tones) and spaces at its start and end,
    /// "gio 😊" → "gio"; null when there are none, or nothing else. Only emoji: a symbol that may be part of an answer
    /// stays, "C♯", "25 °", "™".
    /// </summary>
    public static string? WithoutEdgeEmoji(string? text)
    {
        if (string.IsNullOrEmpty(text) || Ascii.IsValid(text))
            return null;
        var s = text.AsSpan();
        int start = 0, end = s.Length;
        bool leading = false, trailing = false;
        while (start < end && Rune.DecodeFromUtf16(s[start..end], out var rune, out var used) == OperationStatus.Done && IsAroundAnswer(rune))
        {
            leading |= IsEmoji(rune);
            start += used;
        }
        while (end > start && Rune.DecodeLastFromUtf16(s[start..end], out var rune, out var used) == OperationStatus.Done && IsAroundAnswer(rune))
        {
            trailing |= IsEmoji(rune);
            end -= used;
        }
        (start, end) = (leading ? start : 0, trailing ? end : s.Length);
        var rest = s[start..end].Trim();
        // "👍!" leaves a "!", which is no answer: the emoji alone, for the bot to take as a reaction.
        var onlyPunctuation = true;
        foreach (var c in rest)
            onlyPunctuation &= char.IsWhiteSpace(c) || IsEdgePunctuation(c);
        return onlyPunctuation || rest.Length == s.Trim().Length ? null : rest.ToString();

        static bool IsAroundAnswer(Rune rune) => Rune.IsWhiteSpace(rune) || Bot.VisibleText.IsEmojiPart(rune);

        // The emoji planes, the emoji presentation selector, and the emoji of the symbol and dingbat blocks (☀ ⚡ ✅ ❤ ✨ ⭐),
        // but not the card suits and music signs among them.
        static bool IsEmoji(Rune rune) => rune.Value is >= 0x1F000 or 0xFE0F
            or (>= 0x2600 and <= 0x27BF and not (>= 0x2660 and <= 0x266F)) or (>= 0x2B00 and <= 0x2BFF);
    }

    /// <summary>
    /// The text after "1)", "1.", "1:" or "1 -" (a full stop, colon or dash followed by a space, as "1.5" or "1-2" are answers
    /// themselves), optionally after "Question", "Domanda", "Q" or "#", when the number is <paramref name="position"/>; else null.
    /// </summary>
    static string? AfterQuestionNumber(string? text, int position)
    {
        var s = (text ?? "").AsSpan().TrimStart();
        foreach (var label in (ReadOnlySpan<string>)["question", "domanda", "q", "#"])
        {
            if (s.StartsWith(label, StringComparison.OrdinalIgnoreCase))
            {
                s = s[label.Length..].TrimStart();
                break;
            }
        }
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
            digits++;
        if (digits is 0 or > 4 || int.Parse(s[..digits], CultureInfo.InvariantCulture) != position)
            return null;
        s = s[digits..].TrimStart(' ');
        if (s.IsEmpty || s[0] is not (')' or '.' or ':' or '-'))
            return null;
        var rest = s[1..];
        if (s[0] != ')' && (rest.IsEmpty || !char.IsWhiteSpace(rest[0])))
            return null;
        rest = rest.Trim();
        return rest.IsEmpty ? null : rest.ToString();
    }

    public static bool IsCorrect(Question question, string text) => Match(question, text).IsCorrect;

    /// <summary>The multiple-choice answer for a button press.</summary>
    public static AnswerMatch MatchOption(Question question, int optionIndex) =>
        new(question.Kind == QuestionKind.MultipleChoice && optionIndex == question.CorrectOption,
            optionIndex >= 0 && optionIndex < question.Options.Count ? optionIndex : null);

    /// <summary>The form free text is compared in; also useful to group answers for a distribution.</summary>
    public static string Normalize(string text)
    {
        using var folded = new Folded(text ?? "");
        return new string(folded.Span);
    }

    /// <summary>Reads a number as people type it; <paramref name="alternative"/> is the other reading of an ambiguous one.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value, out double? alternative)
    {
        value = 0;
        alternative = null;
        if (Ascii.IsValid(text))
        {
            text = TrimForNumber(text);
            return !text.IsEmpty && text.Length <= 64 && TryParseAsciiNumber(text, out value, out alternative);
        }
        // Zero-width spaces and joiners, direction marks, byte order marks: invisible, brought along by phone keyboards
        // and copy-paste, so "42" with any of them around or inside is 42.
        Span<char> visible = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var length = 0;
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
                visible[length++] = c;
        }
        var number = TrimForNumber(visible[..length]);
        if (number.IsEmpty || number.Length > 64)
            return false;
        Span<char> ascii = stackalloc char[number.Length];
        ToAsciiNumber(number, ascii);
        return TryParseAsciiNumber(ascii, out value, out alternative);
    }

    /// <summary>Digits of any script (٤٢, ４２, ४२) and full-width signs as their ASCII twins; other characters as they are.</summary>
    static void ToAsciiNumber(ReadOnlySpan<char> text, Span<char> ascii)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            ascii[i] = c switch
            {
                < '\u0080' => c,
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u066B' => '.', // Arabic decimal separator
                '\u066C' => '\'', // Arabic thousands separator
                _ when char.IsDigit(c) => (char)('0' + (int)char.GetNumericValue(c)),
                _ => c,
            };
        }
    }

    static bool TryParseAsciiNumber(ReadOnlySpan<char> text, out double value, out double? alternative)
    {
        value = 0;
        alternative = null;
        Span<char> buffer = stackalloc char[text.Length + 2];
        var length = 0;
        var i = 0;
        if (text[0] is '-' or '+' or '\u2212')
        {
            buffer[length++] = text[0] == '+' ? '+' : '-';
            i = 1;
        }

        // The mantissa: digits, '.', ',' and thousands groupings; remember where each mark is.
        var start = i;
        int dots = 0, commas = 0, lastDot = -1, lastComma = -1, digits = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c)) digits++;
            else if (c == '.') { dots++; lastDot = i; }
            else if (c == ',') { commas++; lastComma = i; }
            else if (IsDigitGroupSeparator(c)) { }
            else break;
        }
        if (digits == 0)
            return false;
        var mantissa = text[start..i];
        var exponent = text[i..];
        if (!exponent.IsEmpty && !IsExponent(exponent))
            return false;

        char? decimalMark;
        var ambiguous = false;
        if (dots > 0 && commas > 0)
        {
            decimalMark = lastDot > lastComma ? '.' : ',';
            if ((decimalMark == '.' ? dots : commas) != 1)
                return false;
        }
        else if (dots + commas == 1)
        {
            decimalMark = dots == 1 ? '.' : ',';
            var at = (dots == 1 ? lastDot : lastComma) - start;
            ambiguous = at is >= 1 and <= 3 && mantissa.Length - at - 1 == 3 && mantissa[0] != '0'
                && mantissa[..at].IndexOfAnyExceptInRange('0', '9') < 0 && mantissa[(at + 1)..].IndexOfAnyExceptInRange('0', '9') < 0;
        }
        else
            decimalMark = null;

        if (!TryBuild(mantissa, exponent, decimalMark, buffer, length, out value))
            return false;
        if (ambiguous && TryBuild(mantissa, exponent, null, buffer, length, out var grouped))
            alternative = grouped;
        return true;
    }

    static bool TryBuild(ReadOnlySpan<char> mantissa, ReadOnlySpan<char> exponent, char? decimalMark, Span<char> buffer, int length, out double value)
    {
        value = 0;
        var sinceGroup = -1; // digits since the last thousands separator; -1 before any
        var seenDecimal = false;
        foreach (var c in mantissa)
        {
            if (char.IsAsciiDigit(c))
            {
                buffer[length++] = c;
                if (sinceGroup >= 0) sinceGroup++;
            }
            else if (c == decimalMark)
            {
                if (sinceGroup is >= 0 and not 3) return false;
                buffer[length++] = '.';
                sinceGroup = -1;
                seenDecimal = true;
            }
            else
            {
                // A thousands separator: three digits must follow, and none after the decimal mark.
                if (seenDecimal || sinceGroup is >= 0 and not 3 || length == 0 || !char.IsAsciiDigit(buffer[length - 1]))
                    return false;
                sinceGroup = 0;
            }
        }
        if (sinceGroup is >= 0 and not 3)
            return false;
        var total = length + exponent.Length;
        Span<char> number = stackalloc char[total];
        buffer[..length].CopyTo(number);
        exponent.CopyTo(number[length..]);
        return double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    static bool IsExponent(ReadOnlySpan<char> s)
    {
        if (s.Length < 2 || s[0] is not ('e' or 'E'))
            return false;
        s = s[1..];
        if (s[0] is '+' or '-')
            s = s[1..];
        return !s.IsEmpty && s.IndexOfAnyExceptInRange('0', '9') < 0;
    }

    static bool IsDigitGroupSeparator(char c) => c is ' ' or '\u00A0' or '\u202F' or '\u2009' or '\'' or '’' or '_';

    static ReadOnlySpan<char> TrimForNumber(ReadOnlySpan<char> s)
    {
        var start = 0;
        var end = s.Length;
        // '.' and ',' stay before the number: ".5" is a number. After it they are a sentence's end: "3,14." was no number.
        while (start < end && (char.IsWhiteSpace(s[start]) || IsEdgePunctuation(s[start]) && s[start] is not ('.' or ',')))
            start++;
        while (end > start && (char.IsWhiteSpace(s[end - 1]) || IsEdgePunctuation(s[end - 1])))
            end--;
        return s[start..end];
    }

    internal static bool IsEdgePunctuation(char c) =>
        c is '.' or ',' or '!' or '?' or ';' or ':' or '…' or '¡' or '¿' or '\'' or '"' or '«' or '»' or '‹' or '›'
            or '‘' or '’' or '‚' or '“' or '”' or '„' or '。' or '，' or '！' or '？' or '；' or '：' or '、';

    /// <summary>Super- and subscript digits and signs, which compatibility decomposition would make plain.</summary>
    static readonly SearchValues<char> SuperAndSubscripts = SearchValues.Create(
        "\u00B2\u00B3\u00B9\u2070\u2071\u2074\u2075\u2076\u2077\u2078\u2079\u207A\u207B\u207C\u207D\u207E\u207F"
        + "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089\u208A\u208B\u208C\u208D\u208E");

    /// <summary>
    /// Text folded for comparison, in a pooled buffer: NFKD (NFD when there are super- or subscripts),
    /// accents dropped, format characters dropped, lower case, special letters spelled out, whitespace
    /// collapsed, edge punctuation trimmed.
    /// </summary>
    internal ref struct Folded
    {
        readonly char[]? _rented;
        readonly Span<char> _buffer;
        int _start, _end;

        public Folded(string text, Span<char> scratch = default)
        {
            var source = text;
            if (!Ascii.IsValid(text))
            {
                var form = text.AsSpan().ContainsAny(SuperAndSubscripts) ? NormalizationForm.FormD : NormalizationForm.FormKD;
                try { source = text.Normalize(form); }
                catch (ArgumentException) { } // lone surrogates: compare as sent
            }
            var capacity = source.Length * 2 + 1;
            if (scratch.Length >= capacity)
                _buffer = scratch;
            else
                _buffer = _rented = ArrayPool<char>.Shared.Rent(capacity);
            Fold(source);
        }

        public readonly ReadOnlySpan<char> Span => _buffer[_start.._end];

        void Fold(string source)
        {
            var n = 0;
            var pendingSpace = false;
            var afterLetter = false;
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    pendingSpace = n > 0;
                    afterLetter = false;
                    continue;
                }
                if (c < 0x80)
                {
                    c = char.ToLowerInvariant(c);
                }
                else
                {
                    var category = CharUnicodeInfo.GetUnicodeCategory(c);
                    // Soft hyphens, zero-width spaces, direction marks: invisible, often pasted along.
                    if (category == UnicodeCategory.Format)
                        continue;
                    // An accent on a letter goes; the stroke that makes "=" of "≠" stays. Variation selectors always go.
                    if (category == UnicodeCategory.NonSpacingMark && (afterLetter || c is >= '\uFE00' and <= '\uFE0F'))
                        continue;
                    // Skin-tone modifiers (U+1F3FB–U+1F3FF): the same emoji whatever the tone.
                    if (c == '\uD83C' && i + 1 < source.Length && source[i + 1] is >= '\uDFFB' and <= '\uDFFF')
                    {
                        i++;
                        continue;
                    }
                    c = char.ToLowerInvariant(c);
                    string? spelled = c switch
                    {
                        'ß' => "ss",
                        'æ' => "ae",
                        'œ' => "oe",
                        'þ' => "th",
                        '—' => "--",
                        _ => null,
                    };
                    c = c switch
                    {
                        'ø' => 'o',
                        'ł' => 'l',
                        'đ' or 'ð' => 'd',
                        'ı' => 'i',
                        'ħ' => 'h',
                        'ŧ' => 't',
                        'ς' => 'σ',
                        '–' or '−' => '-',
                        '‘' or '’' or '‚' or '‛' or 'ʼ' or '′' or '´' => '\'',
                        '“' or '”' or '„' or '‟' or '″' or '«' or '»' => '"',
                        _ => c,
                    };
                    if (spelled is not null)
                    {
                        if (pendingSpace) { _buffer[n++] = ' '; pendingSpace = false; }
                        _buffer[n++] = spelled[0];
                        _buffer[n++] = spelled[1];
                        afterLetter = char.IsLetter(spelled[1]);
                        continue;
                    }
                }
                if (pendingSpace) { _buffer[n++] = ' '; pendingSpace = false; }
                _buffer[n++] = c;
                afterLetter = c < 0x80 ? char.IsAsciiLetter(c) : char.IsLetter(c);
            }

            int start = 0, end = n;
            while (start < end && (_buffer[start] == ' ' || IsEdgePunctuation(_buffer[start])))
                start++;
            while (end > start && (_buffer[end - 1] == ' ' || IsEdgePunctuation(_buffer[end - 1])))
                end--;
            // Only punctuation ("...", "?"): compare it as typed rather than as nothing.
            (_start, _end) = start < end ? (start, end) : (0, n);
        }

        public readonly void Dispose()
        {
            if (_rented is not null)
                ArrayPool<char>.Shared.Return(_rented);
        }
    }

    /// <summary>A question's answers in compared form, cached per question object and rebuilt when it is edited.</summary>
    sealed class AnswerKey
    {
        static readonly ConditionalWeakTable<Question, AnswerKey> Cache = new();

        readonly QuestionKind _kind;
        readonly string[] _acceptedSource, _optionsSource;
        readonly string[] _accepted, _options;
        readonly int? _correctOption;
        readonly double? _numeric, _tolerance;

        AnswerKey(Question q)
        {
            _kind = q.Kind;
            _acceptedSource = [.. q.AcceptedAnswers];
            _optionsSource = [.. q.Options];
            _accepted = [.. _acceptedSource.Where(a => !string.IsNullOrWhiteSpace(a)).Select(Normalize).Distinct()];
            _options = [.. _optionsSource.Select(o => Normalize(o ?? ""))];
            _correctOption = q.CorrectOption;
            _numeric = q.NumericAnswer;
            _tolerance = q.Tolerance;
        }

        public static AnswerKey For(Question q)
        {
            if (Cache.TryGetValue(q, out var key) && key.Describes(q))
                return key;
            key = new AnswerKey(q);
            Cache.AddOrUpdate(q, key);
            return key;
        }

        bool Describes(Question q) =>
            q.Kind == _kind && q.CorrectOption == _correctOption && q.NumericAnswer == _numeric && q.Tolerance == _tolerance
            && Same(q.AcceptedAnswers, _acceptedSource) && Same(q.Options, _optionsSource);

        static bool Same(List<string> now, string[] then)
        {
            if (now.Count != then.Length)
                return false;
            for (var i = 0; i < then.Length; i++)
                if (!ReferenceEquals(now[i], then[i]) && !string.Equals(now[i], then[i], StringComparison.Ordinal))
                    return false;
            return true;
        }

        public AnswerMatch Match(string text) => _kind switch
        {
            QuestionKind.FreeText => new(MatchesAccepted(text), null),
            QuestionKind.Numeric => new(MatchesNumber(text), null),
            QuestionKind.MultipleChoice => MatchOptionText(text),
            _ => default,
        };

        bool MatchesAccepted(string text)
        {
            using var folded = new Folded(text, stackalloc char[256]);
            var span = folded.Span;
            foreach (var accepted in _accepted)
                if (span.SequenceEqual(accepted))
                    return true;
            return false;
        }

        bool MatchesNumber(string text)
        {
            if (_numeric is not { } expected || !TryParseNumber(text, out var value, out var alternative))
                return false;
            return Within(value, expected) || alternative is { } other && Within(other, expected);
        }

        bool Within(double value, double expected)
        {
            var tolerance = Math.Max(0, _tolerance ?? 0);
            // Slack for binary floating point: 3.15 is within 0.01 of 3.14.
            var slack = 1e-9 * Math.Max(1, Math.Abs(expected));
            return Math.Abs(value - expected) <= tolerance + slack;
        }

        AnswerMatch MatchOptionText(string text)
        {
            using var folded = new Folded(text, stackalloc char[256]);
            var span = folded.Span;
            var index = -1;
            for (var i = 0; i < _options.Length; i++)
            {
                if (span.SequenceEqual(_options[i]))
                {
                    index = i;
                    break;
                }
            }
            // "a", "B)", "c." name options by letter when no option's own text matched.
            if (LetterOf(span) is { } letter && letter - 'a' < _options.Length)
            {
                var byLetter = letter - 'a';
                // With options b, a, c a bare "a" is button A by its letter and button B by its text: guess neither.
                if (index >= 0 && index != byLetter && span.Length == 1)
                    return new(false, null) { Ambiguity = (byLetter, index) };
                if (index < 0)
                    index = byLetter;
            }
            // "B) for", as the prompt lists it: the letter and the text agree, or the participant must say which they meant.
            if (index < 0 && LabelledOption(span) is var (labelled, named))
                return labelled == named ? new(labelled == _correctOption, labelled) : new(false, null) { Ambiguity = (labelled, named) };
            return index < 0 ? new(false, null) : new(index == _correctOption, index);
        }

        /// <summary>"b) for", "(b) for", "b. for", "b - for", "b for": the option the letter names and the one the text names.</summary>
        (int ByLetter, int ByText)? LabelledOption(ReadOnlySpan<char> s)
        {
            var bracketed = s.Length > 3 && s[0] == '(' && s[2] == ')';
            var at = bracketed ? 1 : 0;
            if (s.Length < at + 3 || s[at] is < 'a' or > 'z' || s[at] - 'a' >= _options.Length)
                return null;
            var rest = s[(at + (bracketed ? 2 : 1))..];
            if (!bracketed && rest[0] is ')' or '.' or ':')
                rest = rest[1..];
            else if (!bracketed && rest[0] is not (' ' or '-'))
                return null;
            rest = rest.TrimStart(' ');
            if (FindOption(rest) is { } named)
                return (s[at] - 'a', named);
            // "b - for" or "b -- for" (a phone's dash), but "b) -1" is option "-1".
            return rest.TrimStart('-') is var undashed && undashed.Length < rest.Length && undashed.StartsWith(' ')
                && FindOption(undashed.TrimStart(' ')) is { } dashed
                ? (s[at] - 'a', dashed)
                : null;
        }

        int? FindOption(ReadOnlySpan<char> text)
        {
            for (var i = 0; i < _options.Length; i++)
                if (text.Length > 0 && text.SequenceEqual(_options[i]))
                    return i;
            return null;
        }

        static char? LetterOf(ReadOnlySpan<char> s)
        {
            if (s.Length == 3 && s[0] == '(' && s[2] == ')')
                s = s[1..2];
            else if (s.Length == 2 && s[1] == ')')
                s = s[..1];
            return s.Length == 1 && s[0] is >= 'a' and <= 'z' ? s[0] : null;
        }
    }
}
