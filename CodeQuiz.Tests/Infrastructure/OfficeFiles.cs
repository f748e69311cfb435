using System.IO.Compression;
using System.Text;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>
/// Files an organizer might pick instead of the CSV: the question bank as spreadsheets save it, with the parts of
/// each format that tell it apart (entry names, signatures), holding the same questions as a CSV would.
/// </summary>
static class OfficeFiles
{
    const string Sheet = """<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>kind</t></is></c><c r="B1" t="inlineStr"><is><t>prompt</t></is></c><c r="C1" t="inlineStr"><is><t>acceptedAnswers</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>FreeText</t></is></c><c r="B2" t="inlineStr"><is><t>Which keyword declares a constant?</t></is></c><c r="C2" t="inlineStr"><is><t>const</t></is></c></row></sheetData></worksheet>""";

    /// <summary>An Excel workbook (.xlsx): a ZIP of XML parts, the workbook under xl/.</summary>
    public static byte[] Xlsx() => Zip(
        ("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""", true),
        ("_rels/.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""", true),
        ("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Questions" sheetId="1" r:id="rId1"/></sheets></workbook>""", true),
        ("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""", true),
        ("xl/worksheets/sheet1.xml", Sheet, true));

    /// <summary>A LibreOffice spreadsheet (.ods): a ZIP whose first entry, stored as it is, names its type.</summary>
    public static byte[] Ods() => Zip(
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet", false),
        ("content.xml", """<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Questions"><table:table-row><table:table-cell><text:p>kind</text:p></table:table-cell><table:table-cell><text:p>prompt</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>""", true),
        ("META-INF/manifest.xml", """<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>""", true));

    /// <summary>The questions of <see cref="UnicodeText"/>, as the import reads them: prompt, then accepted answers or options.</summary>
    public static readonly (string Prompt, string[] Answers)[] UnicodeTextQuestions =
    [
        ("Perché \"print\" stampa?", ["Giò", "perché sì"]),
        ("for (int i = 0; i < 3; i++)\n\tConsole.Write(i);\nWhat is written?", ["012"]),
        ("Quanto vale pi, con due decimali?", []),
        ("Which one; a, or b?", ["a, b", "c"]),
    ];

    /// <summary>
    /// The question bank as Excel's "Save as Unicode Text (*.txt)" writes it: UTF-16 with a byte-order mark
    /// (little-endian on Windows), tab-separated, CRLF; a field holding a tab, a line break or a quote in double quotes;
    /// numbers as the sheet's language shows them (3,14). Big-endian too, as some other tools write UTF-16.
    /// </summary>
    public static byte[] UnicodeText(bool bigEndian = false)
    {
        const string text =
            "kind\tprompt\tacceptedAnswers\toptions\tcorrectOption\tnumericAnswer\ttolerance\r\n" +
            "FreeText\t\"Perché \"\"print\"\" stampa?\"\tGiò|perché sì\t\t\t\t\r\n" +
            "FreeText\t\"for (int i = 0; i < 3; i++)\n\tConsole.Write(i);\nWhat is written?\"\t012\t\t\t\t\r\n" +
            "Numeric\tQuanto vale pi, con due decimali?\t\t\t\t3,14\t0,005\r\n" +
            "MultipleChoice\tWhich one; a, or b?\t\ta, b|c\t1\t\t\r\n";
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];
    }

    /// <summary>
    /// A tab-separated question bank of exactly <paramref name="characters"/> characters (no byte-order mark): 400 free-text
    /// questions with accents, as long as needed, to be saved in one encoding or another.
    /// </summary>
    public static string QuestionBankOfLength(int characters)
    {
        const string header = "kind\tprompt\tacceptedAnswers\r\n";
        const int questions = 400, around = 14; // "FreeText\t" and "\tsì\r\n" around each prompt
        var room = characters - header.Length;
        var text = new StringBuilder(header, characters);
        for (var i = 0; i < questions; i++)
        {
            var prompt = $"Perché {i + 1}? ";
            var length = room / questions - around + (i == 0 ? room % questions : 0);
            text.Append("FreeText\t").Append(prompt).Append('x', length - prompt.Length).Append("\tsì\r\n");
        }
        return text.ToString();
    }

    /// <summary>A ZIP of a CSV file, as a mail attachment may arrive.</summary>
    public static byte[] ZippedCsv() => Zip(("questions.csv", "kind,prompt,acceptedAnswers\r\nFreeText,Which keyword declares a constant?,const\r\n", true));

    /// <summary>
    /// An Excel 97–2003 workbook (.xls): a compound file (its signature, then 512-byte sectors) whose directory holds
    /// the stream "Workbook", names in UTF-16.
    /// </summary>
    public static byte[] Xls()
    {
        var file = new byte[512 * 3];
        byte[] signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(file, 0);
        BitConverter.GetBytes((ushort)0x003E).CopyTo(file, 24); // minor version
        BitConverter.GetBytes((ushort)3).CopyTo(file, 26);      // major version: 512-byte sectors
        BitConverter.GetBytes((ushort)0xFFFE).CopyTo(file, 28); // byte order
        BitConverter.GetBytes((ushort)9).CopyTo(file, 30);      // sector shift
        BitConverter.GetBytes((ushort)6).CopyTo(file, 32);      // mini sector shift
        BitConverter.GetBytes(1).CopyTo(file, 48);              // first directory sector
        var directory = 512 * 2;
        foreach (var (name, index) in new[] { ("Root Entry", 0), ("Workbook", 1) })
        {
            var entry = directory + index * 128;
            Encoding.Unicode.GetBytes(name).CopyTo(file, entry);
            BitConverter.GetBytes((ushort)((name.Length + 1) * 2)).CopyTo(file, entry + 64);
            file[entry + 66] = (byte)(index == 0 ? 5 : 2); // root storage, then a stream
        }
        "kind,prompt"u8.ToArray().CopyTo(file, 512 + 16); // cell text is kept as bytes among the records
        return file;
    }

    static byte[] Zip(params (string Name, string Text, bool Compressed)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text, compressed) in entries)
            {
                using var stream = zip.CreateEntry(name, compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }
        return buffer.ToArray();
    }
}
