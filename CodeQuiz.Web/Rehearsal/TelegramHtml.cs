using System.Buffers;
using System.Net;
using System.Text;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>A message text as Telegram keeps it: plain text, entities, and safe HTML for the console to show.</summary>
public sealed record FormattedText(string Text, IReadOnlyList<MessageEntity> Entities, string DisplayHtml)
{
    public static FormattedText Plain(string text)
    {
        var kept = TelegramHtml.AsKept(text);
        return new(kept, [], TelegramHtml.Display(kept));
    }
}

/// <summary>
/// Telegram's HTML parse mode: accepts exactly what Telegram accepts (its tags, the four named entities,
/// numeric entities) and refuses the rest with Telegram's "can't parse entities" error.
/// </summary>
public static partial class TelegramHtml
{
    static readonly Dictionary<string, MessageEntityType> Tags = new()
    {
        ["b"] = MessageEntityType.Bold, ["strong"] = MessageEntityType.Bold,
        ["i"] = MessageEntityType.Italic, ["em"] = MessageEntityType.Italic,
        ["u"] = MessageEntityType.Underline, ["ins"] = MessageEntityType.Underline,
        ["s"] = MessageEntityType.Strikethrough, ["strike"] = MessageEntityType.Strikethrough, ["del"] = MessageEntityType.Strikethrough,
        ["a"] = MessageEntityType.TextLink, ["code"] = MessageEntityType.Code, ["pre"] = MessageEntityType.Pre,
        ["tg-spoiler"] = MessageEntityType.Spoiler, ["span"] = MessageEntityType.Spoiler,
        ["blockquote"] = MessageEntityType.Blockquote,
    };

    sealed record Open(string Tag, int Start, MessageEntityType Type, string? Url, string? Language);

    /// <summary>Parses <paramref name="html"/> or throws <see cref="BotApiException"/> 400 with Telegram's description.</summary>
    public static FormattedText Parse(string html)
    {
        var text = new StringBuilder(html.Length);
        var display = new StringBuilder(html.Length + 32);
        var entities = new List<MessageEntity>();
        var stack = new Stack<Open>();
        var run = new StringBuilder();
        var afterBlock = false;
        void Flush()
        {
            // Text between tags, entities decoded, so an address split by &amp; is still one link.
            var shown = run.ToString();
            // A code block or quote ends its line, as in Telegram: the line break right after it is that end, not a blank
            // line (the browser starts a new line after the block by itself, and showed one blank line too many).
            if (afterBlock && shown.StartsWith('\n'))
                shown = shown[1..];
            afterBlock = false;
            display.Append(stack.Any(s => s.Tag == "a") ? Encode(shown) : Linkify(shown));
            run.Clear();
        }
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i + 1);
                if (end < 0)
                    throw Fail($"Unclosed start tag at byte offset {ByteOffset(html, i)}");
                var inner = html[(i + 1)..end];
                Flush();
                if (inner.StartsWith('/'))
                {
                    var name = inner[1..].Trim().ToLowerInvariant();
                    if (stack.Count == 0)
                        throw Fail($"Unexpected end tag at byte offset {ByteOffset(html, i)}");
                    var open = stack.Pop();
                    if (open.Tag != name)
                        throw Fail($"Unmatched end tag at byte offset {ByteOffset(html, i)}, expected \"</{open.Tag}>\", found \"</{name}>\"");
                    if (text.Length > open.Start && !(open.Type == MessageEntityType.Code && stack.Any(s => s.Tag == "pre")))
                        entities.Add(new MessageEntity { Type = open.Type, Offset = open.Start, Length = text.Length - open.Start, Url = open.Url, Language = open.Language });
                    display.Append(CloseDisplay(open));
                    afterBlock = open.Type is MessageEntityType.Pre or MessageEntityType.Blockquote or MessageEntityType.ExpandableBlockquote;
                }
                else
                {
                    var (name, attributes) = ParseTag(inner, html, i);
                    if (!Tags.TryGetValue(name, out var type))
                        throw Fail($"Unsupported start tag \"{name}\" at byte offset {ByteOffset(html, i)}");
                    if (name == "span" && attributes.GetValueOrDefault("class") != "tg-spoiler")
                        throw Fail($"Tag \"span\" must have class \"tg-spoiler\" at byte offset {ByteOffset(html, i)}");
                    if (name == "blockquote" && attributes.ContainsKey("expandable"))
                        type = MessageEntityType.ExpandableBlockquote;
                    string? url = null, language = null;
                    if (name == "a")
                        url = attributes.GetValueOrDefault("href");
                    if (name == "code" && stack.TryPeek(out var parent) && parent.Tag == "pre"
                        && attributes.GetValueOrDefault("class") is { } cls && cls.StartsWith("language-", StringComparison.Ordinal))
                    {
                        // <pre><code class="language-x"> gives the pre entity its language.
                        stack.Pop();
                        stack.Push(parent with { Language = cls["language-".Length..] });
                    }
                    var opened = new Open(name, text.Length, type, url, language);
                    stack.Push(opened);
                    display.Append(OpenDisplay(opened));
                }
                i = end + 1;
            }
            else if (c == '&')
            {
                var semicolon = html.IndexOf(';', i + 1);
                if (semicolon < 0 || semicolon - i > 12)
                    throw Fail($"Can't find end of the entity starting at byte offset {ByteOffset(html, i)}");
                var decoded = DecodeEntity(html[(i + 1)..semicolon])
                    ?? throw Fail($"Unsupported HTML entity \"{html[i..(semicolon + 1)]}\" at byte offset {ByteOffset(html, i)}");
                AppendAsKept(text, decoded);
                AppendAsKept(run, decoded);
                i = semicolon + 1;
            }
            else
            {
                var end = html.IndexOfAny(['<', '&'], i);
                if (end < 0) end = html.Length;
                AppendAsKept(text, html.AsSpan(i, end - i));
                AppendAsKept(run, html.AsSpan(i, end - i));
                i = end;
            }
        }
        Flush();
        if (stack.Count > 0)
            throw Fail($"Can't find end tag corresponding to start tag \"{stack.Peek().Tag}\"");
        entities.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : b.Length.CompareTo(a.Length));
        return new FormattedText(text.ToString(), entities, display.ToString());
    }

    static (string Name, Dictionary<string, string> Attributes) ParseTag(string inner, string html, int at)
    {
        var p = 0;
        while (p < inner.Length && (char.IsAsciiLetterOrDigit(inner[p]) || inner[p] == '-')) p++;
        var name = inner[..p].ToLowerInvariant();
        if (name.Length == 0)
            throw Fail($"Unsupported start tag \"\" at byte offset {ByteOffset(html, at)}");
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (p < inner.Length)
        {
            while (p < inner.Length && char.IsWhiteSpace(inner[p])) p++;
            if (p >= inner.Length) break;
            var start = p;
            while (p < inner.Length && (char.IsAsciiLetterOrDigit(inner[p]) || inner[p] is '-' or '_')) p++;
            if (p == start)
                throw Fail($"Expected equal sign in declaration of an attribute of the tag \"{name}\" at byte offset {ByteOffset(html, at)}");
            var attribute = inner[start..p];
            while (p < inner.Length && char.IsWhiteSpace(inner[p])) p++;
            if (p >= inner.Length || inner[p] != '=')
            {
                attributes[attribute] = "";
                continue;
            }
            p++;
            while (p < inner.Length && char.IsWhiteSpace(inner[p])) p++;
            string value;
            if (p < inner.Length && inner[p] is '"' or '\'')
            {
                var quote = inner[p];
                var close = inner.IndexOf(quote, p + 1);
                if (close < 0)
                    throw Fail($"Unclosed end tag at byte offset {ByteOffset(html, at)}");
                value = inner[(p + 1)..close];
                p = close + 1;
            }
            else
            {
                var s = p;
                while (p < inner.Length && !char.IsWhiteSpace(inner[p])) p++;
                value = inner[s..p];
            }
            attributes[attribute] = WebUtility.HtmlDecode(value);
        }
        return (name, attributes);
    }

    /// <summary>
    /// A message's text as Telegram keeps it (TDLib's clean_input_string, applied after the entities are parsed): a control
    /// character other than a line break becomes a space, a tab too, and a carriage return, the line and paragraph
    /// separators, the direction embeddings and overrides (U+2028–U+202E) and three combining marks (U+030A, U+0333, U+033F)
    /// are left out. A code listing indented with tabs reaches the participant indented by one space a level.
    /// </summary>
    public static string AsKept(string text)
    {
        if (text.AsSpan().IndexOfAny(Cleaned) < 0)
            return text;
        var sb = new StringBuilder(text.Length);
        AppendAsKept(sb, text);
        return sb.ToString();
    }

    static void AppendAsKept(StringBuilder sb, ReadOnlySpan<char> text)
    {
        while (text.IndexOfAny(Cleaned) is var next and >= 0)
        {
            sb.Append(text[..next]);
            if (text[next] < ' ' && text[next] != '\r')
                sb.Append(' ');
            text = text[(next + 1)..];
        }
        sb.Append(text);
    }

    static readonly SearchValues<char> Cleaned = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c != '\n').Select(c => (char)c), .. "\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u030A\u0333\u033F"]);

    /// <summary>Safe HTML showing plain text as a Telegram app would.</summary>
    public static string Display(string text) => Linkify(text);

    static string Encode(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>");

    /// <summary>Telegram apps turn addresses in the text into links; so does the console.</summary>
    static string Linkify(string text) => LinkPattern().Replace(Encode(text), m =>
        $"<a href=\"{m.Value}\" target=\"_blank\" rel=\"noopener noreferrer\">{m.Value}</a>");

    [System.Text.RegularExpressions.GeneratedRegex(@"https?://[^\s<>""]+[^\s<>"".,;:!?)]")]
    private static partial System.Text.RegularExpressions.Regex LinkPattern();

    static string? DecodeEntity(string name)
    {
        switch (name)
        {
            case "lt": return "<";
            case "gt": return ">";
            case "amp": return "&";
            case "quot": return "\"";
        }
        if (name.Length > 1 && name[0] == '#')
        {
            var ok = name[1] is 'x' or 'X'
                ? int.TryParse(name.AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out var code)
                : int.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, null, out code);
            if (ok && code is > 0 and <= 0x10FFFF && code is < 0xD800 or > 0xDFFF)
                return char.ConvertFromUtf32(code);
        }
        return null;
    }

    static string OpenDisplay(Open open) => open.Type switch
    {
        MessageEntityType.Bold => "<b>",
        MessageEntityType.Italic => "<i>",
        MessageEntityType.Underline => "<u>",
        MessageEntityType.Strikethrough => "<s>",
        MessageEntityType.Code => "<code>",
        MessageEntityType.Pre => "<pre>",
        MessageEntityType.Spoiler => "<span class=\"tg-spoiler\">",
        MessageEntityType.Blockquote or MessageEntityType.ExpandableBlockquote => "<blockquote>",
        MessageEntityType.TextLink when IsSafeLink(open.Url) => $"<a href=\"{WebUtility.HtmlEncode(open.Url)}\" target=\"_blank\" rel=\"noopener noreferrer\">",
        _ => "<span>",
    };

    static string CloseDisplay(Open open) => open.Type switch
    {
        MessageEntityType.Bold => "</b>",
        MessageEntityType.Italic => "</i>",
        MessageEntityType.Underline => "</u>",
        MessageEntityType.Strikethrough => "</s>",
        MessageEntityType.Code => "</code>",
        MessageEntityType.Pre => "</pre>",
        MessageEntityType.Blockquote or MessageEntityType.ExpandableBlockquote => "</blockquote>",
        MessageEntityType.TextLink when IsSafeLink(open.Url) => "</a>",
        _ => "</span>",
    };

    static bool IsSafeLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "tg";

    static int ByteOffset(string s, int index) => Encoding.UTF8.GetByteCount(s.AsSpan(0, index));

    static BotApiException Fail(string reason) => BotApiException.BadRequest($"can't parse entities: {reason}");
}
