using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Tests.Core.Quizzes;

public class CsvTests
{
    static async Task<List<Csv.Record>> ReadAsync(string text)
    {
        var records = new List<Csv.Record>();
        await foreach (var record in Csv.ReadAsync(new StringReader(text)))
            records.Add(record);
        return records;
    }

    [Fact]
    public async Task QuotedFieldsKeepCommasQuotesAndLineBreaksAndRecordsKnowTheirFirstLine()
    {
        var records = await ReadAsync("\uFEFFa,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\nlast,");

        Assert.Equal([["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", ""], ["last", ""]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 3, 5], records.Select(r => r.Line));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")] // Excel for the old Mac OS: "CSV (Macintosh)"
    public async Task LinesEndWithCrLfLfOrCrAloneAndLineBreaksInAFieldBecomeLf(string end)
    {
        var records = await ReadAsync(string.Join(end, "kind,prompt", "FreeText,\"two" + end + "lines\"", "Numeric,last", ""));

        Assert.Equal([["kind", "prompt"], ["FreeText", "two\nlines"], ["Numeric", "last"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 4], records.Select(r => r.Line));
    }

    [Fact]
    public async Task AQuoteAfterSpacesIsTextAndTheRecordSaysWhichField()
    {
        var records = await ReadAsync("a, \"b\",c\n\" \"\" x\", y \"z\"\n");

        Assert.Equal([["a", " \"b\"", "c"], [" \" x", " y \"z\""]], records.Select(r => r.Fields));
        Assert.Equal([1, (int?)null], records.Select(r => r.QuoteAfterSpace));
    }

    [Fact]
    public async Task ASpreadsheetsSemicolonsSeparateFieldsWhenTheFileStartsWithThem()
    {
        // Italian Excel's "CSV": semicolons, decimal commas, and a comma in a prompt that needs no quotes.
        var semicolons = await ReadAsync("kind;prompt;numericAnswer\r\nNumeric;Pi, to two places?;3,14\r\nFreeText;\"a;b\";\r\n");
        Assert.Equal([["kind", "prompt", "numericAnswer"], ["Numeric", "Pi, to two places?", "3,14"], ["FreeText", "a;b", ""]], semicolons.Select(r => r.Fields));

        // In a file of commas a semicolon is text.
        var commas = await ReadAsync("kind,prompt\nFreeText,for (;;) loops forever?\n");
        Assert.Equal([["kind", "prompt"], ["FreeText", "for (;;) loops forever?"]], commas.Select(r => r.Fields));
    }

    [Fact]
    public async Task TabsSeparateFieldsWhenTheFileStartsWithThem()
    {
        // Excel's "Unicode Text": tabs, and quotes only around a field with a tab, a line break or a quote.
        var tabs = await ReadAsync("\uFEFFkind\tprompt\tnumericAnswer\r\nNumeric\tPi, to two places; roughly?\t3,14\r\nFreeText\t\"if (x)\n\treturn;\"\t\r\n");
        Assert.Equal([["kind", "prompt", "numericAnswer"], ["Numeric", "Pi, to two places; roughly?", "3,14"], ["FreeText", "if (x)\n\treturn;", ""]], tabs.Select(r => r.Fields));

        // In a file of commas a tab is text: code indented in an unquoted prompt.
        var commas = await ReadAsync("kind,prompt\nFreeText,\tindented\tcode\n");
        Assert.Equal([["kind", "prompt"], ["FreeText", "\tindented\tcode"]], commas.Select(r => r.Fields));
    }

    [Theory]
    [InlineData("kind,prompt\r\nFreeText,Which keyword declares a constant?\r\n")]
    [InlineData("\uFEFFkind;prompt;numericAnswer\r\nNumeric;Pi?;3,14\r\n")]                        // Italian Excel's CSV UTF-8
    [InlineData("kind,prompt\r\nFreeText,Perch\uFFFD?\r\nFreeText,Gi\uFFFD\uFFFD\uFFFD\r\n")]    // a CSV saved in Latin-1, read as UTF-8
    [InlineData("kind,prompt\r\nFreeText,\"Tab\there,\fform feed\"\r\nFreeText,A stray \u0007 bell in a long enough file of questions, as pasted from a terminal\r\n")]
    public void TextIsNeverTakenForAnotherKindOfFile(string text) =>
        Assert.Null(Csv.NotCsvText(text));

    [Theory]
    [InlineData("plain", false, "plain")]
    [InlineData("a,b", false, "\"a,b\"")]
    [InlineData("say \"hi\"", false, "\"say \"\"hi\"\"\"")]
    [InlineData("=1+1", false, "=1+1")]
    [InlineData("=1+1", true, "'=1+1")]
    [InlineData("+39 333", true, "'+39 333")]
    [InlineData("-2", true, "'-2")]
    [InlineData("@cmd", true, "'@cmd")]
    [InlineData("=A1,B1", true, "\"'=A1,B1\"")]
    [InlineData(" padded", false, "\" padded\"")]
    public void FieldsAreQuotedWhenNeededAndFormulasDisarmedOnRequest(string value, bool protect, string expected) =>
        Assert.Equal(expected, Csv.Escape(value, protect));

    [Fact]
    public async Task WhatIsWrittenReadsBackTheSame()
    {
        string[] fields = ["a,b", "\"q\"", "multi\r\nline", "", " x "];
        var writer = new StringWriter();
        Csv.WriteRecord(writer, fields);
        var record = Assert.Single(await ReadAsync(writer.ToString()));
        Assert.Equal(["a,b", "\"q\"", "multi\nline", "", " x "], record.Fields);
    }
}
