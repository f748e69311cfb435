using System.Globalization;
using System.Text;

namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// How the spreadsheet that opens a file reads it. Excel opens a CSV file with the separator and decimal mark of the
/// computer's language: in English, commas and 1.5; in Italian, German, French and most of Europe, semicolons and 1,5,
/// and a comma-separated file shows in one column there.
/// </summary>
public enum CsvStyle
{
    /// <summary>Commas and a decimal point: English Excel, LibreOffice, Google Sheets, and every program.</summary>
    Comma,
    /// <summary>Semicolons and a decimal comma: Excel set to Italian, German, French, Spanish…</summary>
    Semicolon,
}

/// <summary>
/// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Spreadsheets open
/// what we write (UTF-8 with a byte-order mark, CRLF), and we read what they save.
/// </summary>
/// <remarks>
/// A spreadsheet set to a language that writes 3,14 (Italian, German, French) saves its "CSV" with semicolons, and
/// Excel's "Unicode Text" separates by tabs, so the reader takes the first comma, semicolon or tab outside quotes as the
/// separator (a header's first one, in practice). Once it is known, the other two are text: a prompt's code may hold
/// commas, semicolons and tabs.
/// </remarks>
public static class Csv
{
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>The separator of a file written in <paramref name="style"/>.</summary>
    public static char SeparatorOf(CsvStyle style) => style == CsvStyle.Semicolon ? ';' : ',';

    /// <summary>A number with up to three decimals, with the decimal mark of <paramref name="style"/>: 1.5, or 1,5.</summary>
    public static string Decimal(double value, CsvStyle style)
    {
        var text = value.ToString("0.###", CultureInfo.InvariantCulture);
        return style == CsvStyle.Semicolon ? text.Replace('.', ',') : text;
    }

    /// <summary>A record and the (1-based) line it starts on, for error messages.</summary>
    /// <param name="UnclosedQuote">A quoted field ran to the end of the text: its closing quote is missing, so the rest of the file is in it.</param>
    /// <param name="QuoteAfterSpace">
    /// The (0-based) field that starts with spaces and then a double quote, as in <c>a, "b, c"</c> written by hand: the quote is
    /// text there, as spreadsheets read it, so the field was not read as the quoted field its writer meant.
    /// </param>
    /// <param name="Separator">The file's separator once a line has shown it (a comma, a semicolon or a tab), else null.</param>
    public sealed record Record(int Line, IReadOnlyList<string> Fields, bool UnclosedQuote = false, int? QuoteAfterSpace = null, char? Separator = null);

    public static async IAsyncEnumerable<Record> ReadAsync(TextReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldStarted = false;
        var closedQuote = false;
        var afterCr = false;
        var spacesOnly = false; // the field so far is spaces or tabs, unquoted
        int? quoteAfterSpace = null;
        char? separator = null;
        var buffer = new char[8192];
        int read;
        var first = true;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (first)
                {
                    first = false;
                    if (c == '\uFEFF')
                        continue;
                }
                // A line ends with CRLF (Windows), LF, or CR alone (Excel for the old Mac OS, "CSV (Macintosh)"): a CR is
                // a line break, and the LF right after one is part of it. Dropping lone CRs would run the whole file into one line.
                if (c == '\n' && afterCr)
                {
                    afterCr = false;
                    continue;
                }
                afterCr = c == '\r';
                if (quoted)
                {
                    if (c == '"')
                    {
                        quoted = false;
                        closedQuote = true;
                        continue;
                    }
                    if (c is '\r' or '\n')
                    {
                        // Line breaks inside a field become \n, whoever saved the file.
                        line++;
                        field.Append('\n');
                        continue;
                    }
                    field.Append(c);
                    continue;
                }
                switch (c)
                {
                    case '"' when !fieldStarted:
                        quoted = true;
                        fieldStarted = true;
                        spacesOnly = false;
                        break;
                    case '"' when spacesOnly:
                        quoteAfterSpace ??= fields.Count;
                        goto default;
                    case '"' when closedQuote:
                        // A quote right after a closing quote is an escaped quote ("").
                        field.Append('"');
                        quoted = true;
                        break;
                    case ',' or ';' or '\t' when (separator ??= c) == c:
                        fields.Add(field.ToString());
                        field.Clear();
                        fieldStarted = false;
                        break;
                    case '\r' or '\n':
                        fields.Add(field.ToString());
                        field.Clear();
                        fieldStarted = false;
                        yield return new Record(recordLine, fields, QuoteAfterSpace: quoteAfterSpace, Separator: separator);
                        fields = [];
                        quoteAfterSpace = null;
                        line++;
                        recordLine = line;
                        break;
                    default:
                        // Includes a quote inside an unquoted field, which is text as spreadsheets read it: print("hi").
                        spacesOnly = (spacesOnly || !fieldStarted) && c is ' ' or '\t';
                        field.Append(c);
                        fieldStarted = true;
                        break;
                }
                closedQuote = false;
            }
        }
        if (field.Length > 0 || fields.Count > 0 || fieldStarted)
        {
            fields.Add(field.ToString());
            yield return new Record(recordLine, fields, UnclosedQuote: quoted, QuoteAfterSpace: quoteAfterSpace, Separator: separator);
        }
    }

    /// <summary>
    /// The most characters an imported question bank may have, whatever its encoding: counting bytes would let Excel's
    /// "Unicode Text" (UTF-16, two bytes a letter) hold half the questions a "CSV UTF-8" file holds.
    /// </summary>
    public const int ImportMaxChars = 1_000_000;

    /// <summary>
    /// The most bytes <see cref="ImportMaxChars"/> characters take: 3 a character in UTF-8 (UTF-16 takes 2), and a
    /// byte-order mark. A longer upload is over the limit in any encoding, so it is refused before it is read.
    /// </summary>
    public const long ImportMaxBytes = 3L * ImportMaxChars + 3;

    public const string ImportTooLarge = "The file has more than 1,000,000 characters, the most a question bank may have " +
        "(about 1 MB as CSV UTF-8, 2 MB as Unicode Text): split it into two files and import each.";

    /// <summary>An uploaded question bank, decoded as <see cref="OpenReader"/> does; null when it is longer than <see cref="ImportMaxChars"/>.</summary>
    public static async Task<string?> ReadUploadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using var reader = OpenReader(stream);
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (text.Length + read > ImportMaxChars)
                return null;
            text.Append(buffer, 0, read);
        }
        return text.ToString();
    }

    const string SaveAsCsv = "save the questions as \"CSV UTF-8\" and import that file.";

    /// <summary>
    /// Reads an uploaded file as UTF-8, unless it starts with a byte-order mark that says otherwise: Excel's
    /// "Unicode Text" (*.txt) is UTF-16 (little-endian, with the mark FF FE), and read as UTF-8 it would be taken for a
    /// file that is not text.
    /// </summary>
    public static StreamReader OpenReader(Stream stream) =>
        new(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    /// <summary>
    /// Why <paramref name="text"/> (a whole file, read as UTF-8) cannot be a CSV file, by what it is instead — a
    /// spreadsheet picked instead of its CSV, say — or null when it is text. The answer never quotes the file.
    /// </summary>
    /// <remarks>
    /// Read as UTF-8, a file's ASCII bytes stay as they are, so the signatures and the names inside a ZIP or a compound
    /// file (UTF-16 there) can still be found in the text.
    /// </remarks>
    public static string? NotCsvText(string text)
    {
        if (text.StartsWith("PK\u0003\u0004", StringComparison.Ordinal) || text.StartsWith("PK\u0005\u0006", StringComparison.Ordinal))
        {
            if (text.Contains("xl/workbook", StringComparison.Ordinal))
                return "This looks like an Excel workbook (.xlsx), not a CSV file: in Excel choose File, Save As, \"CSV UTF-8 (Comma delimited)\", and import that file.";
            if (text.Contains("application/vnd.oasis.opendocument.spreadsheet", StringComparison.Ordinal))
                return "This looks like a LibreOffice or OpenOffice spreadsheet (.ods), not a CSV file: save it as \"Text CSV\" with the character set " +
                    "\"Unicode (UTF-8)\" (the file is then CSV UTF-8), and import that file.";
            return "This is a ZIP archive (a compressed file, or a document saved as one), not a CSV file: unpack it, or " + SaveAsCsv;
        }
        if (text.StartsWith("%PDF-", StringComparison.Ordinal))
            return "This is a PDF, not a CSV file: write the questions in a spreadsheet, one a line, then " + SaveAsCsv;

        var head = text.AsSpan(0, Math.Min(text.Length, 8192));
        var controls = 0;
        foreach (var c in head)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f' or '\v'))
                controls++;
        }
        // Text never holds a NUL, and seldom another control character; one byte in eight of other files is one.
        // (A CSV in another encoding than UTF-8 is text: its lines say so, where its letters were lost.)
        if (!head.Contains('\0') && controls * 100 <= head.Length)
            return null;
        if (text.Contains("W\0o\0r\0k\0b\0o\0o\0k\0", StringComparison.Ordinal) || text.Contains("B\0o\0o\0k\0\0\0", StringComparison.Ordinal))
            return "This looks like an Excel 97–2003 workbook (.xls), not a CSV file: in Excel choose File, Save As, \"CSV UTF-8 (Comma delimited)\", and import that file.";
        if (LooksLikeUtf16(head))
            return "This is UTF-16 text without the byte-order mark that says which byte of each letter comes first: save the questions " +
                "as \"CSV UTF-8\" (or as Excel's \"Unicode Text\", which has the mark) and import that file.";
        return "This is not a text file (it holds bytes that no CSV file has, as a picture or a program does): " + SaveAsCsv;
    }

    /// <summary>
    /// UTF-16 read as UTF-8: each Latin letter comes with a NUL, after it (little-endian) or before it (big-endian). With
    /// its byte-order mark the file would have been read as UTF-16; without one, guessing the order could garble it.
    /// </summary>
    static bool LooksLikeUtf16(ReadOnlySpan<char> head)
    {
        int pairs = head.Length / 2, little = 0, big = 0;
        for (var i = 0; i + 1 < head.Length; i += 2)
        {
            if (head[i] != '\0' && head[i + 1] == '\0')
                little++;
            else if (head[i] == '\0' && head[i + 1] != '\0')
                big++;
        }
        return pairs > 0 && Math.Max(little, big) * 10 >= pairs * 9;
    }

    /// <summary>Writes one record and CRLF, its fields apart by <paramref name="separator"/> (a comma, or a semicolon).</summary>
    public static void WriteRecord(TextWriter writer, IEnumerable<string?> fields, bool protectFormulas = false, char separator = ',')
    {
        var firstField = true;
        foreach (var value in fields)
        {
            if (!firstField)
                writer.Write(separator);
            firstField = false;
            writer.Write(Escape(value, protectFormulas, separator));
        }
        writer.Write("\r\n");
    }

    /// <summary>
    /// Writes one record and CRLF without blocking: a response body refuses synchronous writes, and a
    /// StreamWriter's synchronous Write flushes to its stream whenever its buffer fills.
    /// </summary>
    public static Task WriteRecordAsync(TextWriter writer, IEnumerable<string?> fields, bool protectFormulas = false, CancellationToken cancellationToken = default, char separator = ',')
    {
        var line = new StringWriter(CultureInfo.InvariantCulture);
        WriteRecord(line, fields, protectFormulas, separator);
        return writer.WriteAsync(line.GetStringBuilder(), cancellationToken);
    }

    /// <summary>
    /// Quotes when needed. With <paramref name="protectFormulas"/>, text a spreadsheet would run as a
    /// formula (=, +, -, @, tab, CR first) gets a leading apostrophe: participants' answers are untrusted.
    /// </summary>
    public static string Escape(string? value, bool protectFormulas = false, char separator = ',')
    {
        value ??= "";
        if (protectFormulas && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        var needsQuotes = value.AsSpan().IndexOfAny(separator == ',' ? ",\"\r\n" : ";\"\r\n") >= 0
            || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])));
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
