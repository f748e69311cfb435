using System.Globalization;
using System.Text;

namespace CodeQuiz.Core.Bot;

/// <summary>Text for Telegram's HTML parse mode: user input is escaped, the bot's own markup uses b, i, code and pre.</summary>
public static partial class TelegramHtml
{
    /// <summary>Telegram's limit for one message's text.</summary>
    public const int MessageMax = 4096;

    /// <summary>&lt;, &gt; and &amp; as entities, the only characters Telegram's HTML mode requires escaped.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var first = text.AsSpan().IndexOfAny('<', '>', '&');
        if (first < 0)
            return text;
        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                default: sb.Append(text[i]); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// At most <paramref name="max"/> UTF-16 units, as Telegram counts its limits, with "…" (one unit) when cut. The cut
    /// falls between characters as a screen shows them (text elements): inside one it left half a flag (🇮🇹 is two
    /// symbols), an emoji joined by zero-width joiners broken up (👩‍💻 as 👩), or a letter without its accent.
    /// </summary>
    public static string Truncate(string? text, int max)
    {
        if (string.IsNullOrEmpty(text) || text.Length <= max)
            return text ?? "";
        var room = Math.Max(0, max - 1);
        var cut = 0; // the end of the last whole text element that fits; the loop ends before the text does, as room < text.Length
        while (cut + StringInfo.GetNextTextElementLength(text.AsSpan(cut)) is var next && next <= room)
            cut = next;
        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>User text to show inside a message: cut to <paramref name="max"/> characters, its direction controls closed, then escaped.</summary>
    public static string Quote(string? text, int max = 200) => Escape(CloseDirections(Truncate(text, max)));

    /// <summary>
    /// Someone's text with the direction overrides, embeddings and isolates it leaves open closed at its end, innermost
    /// first. Left open, a right-to-left override in a name or an answer runs on over the rest of the bot's line and shows
    /// it backwards ("— 4.2 s" as "s 2.4 —"). What they typed is stored as typed; only the message closes it.
    /// </summary>
    public static string CloseDirections(string? text)
    {
        if (string.IsNullOrEmpty(text)
            || text.AsSpan().IndexOfAnyInRange('\u202A', '\u202E') < 0 && text.AsSpan().IndexOfAnyInRange('\u2066', '\u2069') < 0)
            return text ?? "";
        var open = new Stack<char>(); // PDF for an embedding or override, PDI for an isolate
        foreach (var c in text)
        {
            switch (c)
            {
                case >= '\u202A' and <= '\u202B' or >= '\u202D' and <= '\u202E':
                    open.Push(PopDirectionalFormatting);
                    break;
                case >= '\u2066' and <= '\u2068':
                    open.Push(PopDirectionalIsolate);
                    break;
                case PopDirectionalFormatting when open.TryPeek(out var top) && top == PopDirectionalFormatting:
                    open.Pop();
                    break;
                case PopDirectionalIsolate when open.Contains(PopDirectionalIsolate):
                    // It closes its isolate and whatever was left open inside it, as Unicode's bidirectional algorithm does.
                    while (open.Pop() != PopDirectionalIsolate) { }
                    break;
                case '\n' or '\r' or '\u2029' or '\u001C' or '\u001D' or '\u001E' or '\u0085':
                    open.Clear(); // a paragraph's end closes everything
                    break;
            }
        }
        return open.Count == 0 ? text : string.Concat(text, new string([.. open]));
    }

    const char PopDirectionalFormatting = '\u202C', PopDirectionalIsolate = '\u2069';

    /// <summary>
    /// A prompt as the organizer wrote it: escaped, with ```fenced``` blocks shown as pre and
    /// `inline code` as code (unmatched backticks stay as they are).
    /// </summary>
    public static string Prompt(string prompt)
    {
        var text = prompt ?? "";
        if (!text.Contains('`'))
            return Escape(text);
        var sb = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "```", 0, 3) == 0)
            {
                var close = text.IndexOf("```", i + 3, StringComparison.Ordinal);
                if (close > 0)
                {
                    var body = text[(i + 3)..close];
                    // ```python\n… names a language; Telegram ignores it, so drop it. Only a word a language's name is made
                    // of: "```for(i=0;i<3;i++)\n" is the snippet's first line, and dropping it showed the rest alone.
                    var newline = body.IndexOf('\n');
                    if (newline >= 0 && body[..newline].Trim() is { Length: > 0 } lang && IsLanguageName(lang))
                        body = body[(newline + 1)..];
                    sb.Append("<pre>").Append(Escape(body.Trim('\n', '\r'))).Append("</pre>");
                    i = close + 3;
                    continue;
                }
            }
            else if (text[i] == '`')
            {
                var close = text.IndexOf('`', i + 1);
                if (close > i + 1 && text.IndexOf('\n', i, close - i) < 0)
                {
                    sb.Append("<code>").Append(Escape(text[(i + 1)..close])).Append("</code>");
                    i = close + 1;
                    continue;
                }
            }
            var next = text.IndexOf('`', i + 1);
            if (next < 0) next = text.Length;
            sb.Append(Escape(text[i..next]));
            i = next;
        }
        return sb.ToString();
    }

    /// <summary>What may follow a fence's opening as its language, as <see cref="FenceOpening"/> reads it: "python", "c++", "c#".</summary>
    static bool IsLanguageName(string word) =>
        word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '#' or '.' or '-');

    /// <summary>
    /// A prompt on one line of plain text, for lists of questions: ``` fences and the language named after one are
    /// dropped and line breaks become spaces (raw, they showed as "``` int x…" and wrapped); at most <paramref name="max"/>
    /// characters.
    /// </summary>
    public static string PromptLine(string? prompt, int max)
    {
        var text = FenceOpening().Replace(prompt ?? "", " ").Replace("```", " ", StringComparison.Ordinal);
        return Truncate(string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)), max);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"```[A-Za-z0-9_+#.-]*[ \t]*\r?\n")]
    private static partial System.Text.RegularExpressions.Regex FenceOpening();

    /// <summary>Characters Telegram counts against its limit: text outside tags, an entity as one.</summary>
    public static int VisibleLength(string html)
    {
        var length = 0;
        for (var i = 0; i < html.Length; i++)
        {
            if (html[i] == '<' && html.IndexOf('>', i) is var close and > 0)
                i = close;
            else
            {
                if (html[i] == '&' && html.IndexOf(';', i) is var end and > 0 && end - i <= 6)
                    i = end;
                length++;
            }
        }
        return length;
    }

    /// <summary>
    /// head + the organizer's prompt + tail, the prompt's tabs made spaces (<see cref="ExpandTabs"/>) and the prompt
    /// shortened when needed so the whole message stays within Telegram's limit (a 4000-character prompt leaves little
    /// room for the rest).
    /// </summary>
    public static string WithPrompt(string head, string prompt, string tail)
    {
        var budget = MessageMax - VisibleLength(head) - VisibleLength(tail);
        return string.Concat(head, Prompt(Truncate(ExpandTabs(prompt), Math.Max(1, budget))), tail);
    }

    /// <summary>Columns from one tab stop to the next: an editor's usual, and narrow enough for a listing on a phone.</summary>
    const int TabWidth = 4;

    /// <summary>
    /// The prompt as Telegram is to show it: each tab made spaces up to the next tab stop, counted from its line's start.
    /// Telegram keeps a tab as one space, and a listing pasted from an editor that indents with tabs (gofmt's, a spreadsheet
    /// cell's) reached phones indented one space a level. Longer than the prompt when it has tabs: count on this one.
    /// </summary>
    public static string ExpandTabs(string? prompt)
    {
        if (string.IsNullOrEmpty(prompt) || !prompt.Contains('\t'))
            return prompt ?? "";
        var sb = new StringBuilder(prompt.Length + 32);
        var column = 0;
        foreach (var c in prompt)
        {
            if (c == '\t')
            {
                var spaces = TabWidth - column % TabWidth;
                sb.Append(' ', spaces);
                column += spaces;
            }
            else
            {
                sb.Append(c);
                column = c == '\n' ? 0 : column + 1;
            }
        }
        return sb.ToString();
    }
}
