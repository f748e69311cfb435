using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// The question bank as CSV, one question a line:
/// <c>kind,prompt,acceptedAnswers,options,correctOption,numericAnswer,tolerance,timeLimitSeconds,showPromptOnPresenter</c>.
/// Lists are separated by <c>|</c> (write <c>\|</c> for a literal bar, <c>\\</c> for a backslash);
/// correctOption is the option's number counting from 1, as on the buttons.
/// </summary>
public sealed partial class QuizCatalog
{
    public static readonly IReadOnlyList<string> CsvColumns =
        ["kind", "prompt", "acceptedAnswers", "options", "correctOption", "numericAnswer", "tolerance", "timeLimitSeconds", "showPromptOnPresenter"];

    /// <summary>Writes the event's questions in order; false when the event does not exist.</summary>
    public async Task<bool> ExportQuestionsCsvAsync(int eventId, TextWriter writer, CancellationToken cancellationToken = default)
    {
        var questions = await ListQuestionsAsync(eventId, cancellationToken);
        if (questions is null)
            return false;
        // The bank must round-trip, so prompts are written as they are (no formula guard: it is the organizers' own text).
        await Csv.WriteRecordAsync(writer, CsvColumns, cancellationToken: cancellationToken);
        foreach (var q in questions)
        {
            await Csv.WriteRecordAsync(writer,
            [
                q.Kind.ToString(),
                q.Prompt,
                JoinList(q.AcceptedAnswers),
                JoinList(q.Options),
                q.CorrectOption is int i ? (i + 1).ToString(CultureInfo.InvariantCulture) : "",
                q.NumericAnswer?.ToString("R", CultureInfo.InvariantCulture),
                q.Tolerance?.ToString("R", CultureInfo.InvariantCulture),
                q.TimeLimitSeconds?.ToString(CultureInfo.InvariantCulture),
                q.ShowPromptOnPresenter ? "true" : "false",
            ], cancellationToken: cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Adds every question of the file after the event's existing ones, or none: any bad line makes the
    /// whole import fail with errors keyed "line N" (the line the record starts on; the header is line 1), and a
    /// file that is no text (a workbook picked instead of its CSV) with one keyed "file".
    /// </summary>
    public async Task<CatalogResult<IReadOnlyList<Question>>> ImportQuestionsCsvAsync(int eventId, TextReader reader, CancellationToken cancellationToken = default)
    {
        using var adding = await AddingAsync(cancellationToken);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        if (!await db.Events.AnyAsync(e => e.Id == eventId, cancellationToken))
            return CatalogResult.NotFound<IReadOnlyList<Question>>(EventNotFound(eventId));

        // Read whole (a bank is at most Csv.ImportMaxChars): a ZIP's names are at its end.
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (Csv.NotCsvText(text) is { } notText)
            return CatalogResult.Invalid<IReadOnlyList<Question>>("file", notText);

        var errors = new Dictionary<string, List<string>>();
        void Add(int line, string message)
        {
            var key = $"line {line}";
            if (!errors.TryGetValue(key, out var list))
                errors[key] = list = [];
            list.Add(message);
        }

        // An import made again (the bank fixed in the spreadsheet, or the button pressed twice) would double the event's
        // questions, each with a QR code of its own: a question the event has, or an earlier line has, is refused.
        var existing = new Dictionary<string, int>();
        foreach (var q in await db.Questions.AsNoTracking().Where(q => q.EventId == eventId).OrderBy(q => q.Position).ToListAsync(cancellationToken))
            existing.TryAdd(Sameness(q), q.Position);
        var earlier = new Dictionary<string, int>();

        Dictionary<string, int>? columns = null;
        List<int> unnamed = [];
        var headerWidth = 0;
        var namedWidth = 0;
        var questions = new List<Question>();
        await foreach (var record in Csv.ReadAsync(new StringReader(text), cancellationToken))
        {
            if (record.UnclosedQuote)
            {
                Add(record.Line, "A field on this line opens a double quote that is never closed, so the rest of the file would be read as that one field; " +
                    "close it, or write a quote inside a quoted field as two (\"\").");
                break;
            }
            if (record.Fields.All(string.IsNullOrWhiteSpace))
                continue;
            if (record.QuoteAfterSpace is { } spaced)
            {
                // Read as text, the quote stays in the field and a comma after it splits the field: the line would be
                // refused for its count of fields, with advice to use the quotes it has, or imported with the quotes in it.
                Add(record.Line, $"Field {spaced + 1} has a space before its opening double quote, so the quote would be read as text; " +
                    "remove the space (a quoted field starts right after the separator: ,\"a, b\" rather than , \"a, b\").");
                if (columns is null)
                    break;
                continue;
            }
            if (columns is null)
            {
                // "sep=;" before the header is the hint Excel reads to know the separator; the reader has already taken the
                // one it names, so the header is the next line.
                if (record.Fields is [var sep, ""] && sep.Trim().Equals("sep=", StringComparison.OrdinalIgnoreCase))
                    continue;
                columns = ReadHeader(record, unnamed, Add);
                headerWidth = record.Fields.Count;
                if (columns is null)
                    break;
                namedWidth = columns.Values.Max() + 1;
                continue;
            }
            // A line may stop before the empty unnamed columns at the end of the header: nothing is missing from it.
            if (record.Fields.Count != headerWidth && (record.Fields.Count < namedWidth || record.Fields.Count > headerWidth))
            {
                Add(record.Line, $"The line has {record.Fields.Count} fields but the header has {headerWidth}; put prompts with {SeparatorName(record.Separator)} or line breaks in double quotes.");
                continue;
            }
            if (record.Fields.Any(f => f.Contains('\uFFFD')))
            {
                // What the decoder put for bytes that are not UTF-8: importing it would lose the accents for good.
                // Excel's plain "CSV" and "Text (Tab delimited)" are written in Windows' code page (Windows-1252 in Western
                // Europe); its "Unicode Text" is UTF-16 with a byte-order mark, which is read as it is.
                Add(record.Line, "The line is not UTF-8 text, so its accents would be lost; save the file as \"CSV UTF-8\" or as Excel's " +
                    "\"Unicode Text\" (a plain \"CSV\" or \"Text (Tab delimited)\" is saved in another encoding).");
                continue;
            }
            if (unnamed.FirstOrDefault(i => i < record.Fields.Count && !string.IsNullOrWhiteSpace(record.Fields[i]), -1) is var column and >= 0)
            {
                // Its text belongs to no field: importing the line without it would lose it.
                Add(record.Line, $"Column {column + 1} has no name in the header but has text on this line; name it (the columns are " +
                    $"{string.Join(",", CsvColumns)}) or empty it.");
                continue;
            }
            if (questions.Count == ImportMaxQuestions)
            {
                Add(record.Line, $"An import holds at most {ImportMaxQuestions} questions.");
                break;
            }
            if (ReadQuestion(record, columns, eventId, Add) is not { } question)
                continue;
            var sameness = Sameness(question);
            if (existing.TryGetValue(sameness, out var numbered))
                Add(record.Line, $"The same question as question {numbered} of the event (kind, prompt and answers alike); remove the line to import " +
                    "only the questions the event lacks, or change the question in the editor.");
            else if (!earlier.TryAdd(sameness, record.Line))
                Add(record.Line, $"The same question as line {earlier[sameness]} (kind, prompt and answers alike); remove one of the two.");
            else
                questions.Add(question);
        }
        if (columns is not null && questions.Count == 0 && errors.Count == 0)
            Add(1, "The file has a header but no questions.");
        if (columns is null && errors.Count == 0)
            Add(1, $"The file is empty; the first line must be the header: {string.Join(",", CsvColumns)}.");
        if (errors.Count > 0)
            return CatalogResult.Invalid<IReadOnlyList<Question>>(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

        var position = await NextPositionAsync(db, eventId, cancellationToken);
        foreach (var question in questions)
            question.Position = position++;
        db.Questions.AddRange(questions);
        await SaveWithUniqueCodesAsync(db, questions, cancellationToken);
        Changed(eventId, eventItself: false);
        return CatalogResult.Done<IReadOnlyList<Question>>(questions);
    }

    /// <param name="unnamed">
    /// Gets the columns with no name: a spreadsheet saves empty columns after the table when a cell beyond it was ever
    /// used (or formatted), and those are harmless as long as they stay empty.
    /// </param>
    static Dictionary<string, int>? ReadHeader(Csv.Record header, List<int> unnamed, Action<int, string> addError)
    {
        var columns = new Dictionary<string, int>();
        if (!header.Fields.Any(f => CsvColumns.Contains(f.Trim(), StringComparer.OrdinalIgnoreCase)))
        {
            // Not a header with misspelt names but no header at all, most often questions pasted without it: each of the
            // first question's fields called an unknown column would hide what is wrong.
            addError(header.Line, $"The first line is not the header: it names none of the columns. Put the header above the questions: " +
                $"{string.Join(",", CsvColumns)} (kind and prompt are required; the other columns may be left out).");
            return null;
        }
        var ok = true;
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (name.Length == 0)
            {
                unnamed.Add(i);
                continue;
            }
            var known = CsvColumns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                // The name is shown back only as far as it is readable text: never bytes of a file that is no CSV.
                addError(header.Line, name.Any(c => char.IsControl(c) || c == '\uFFFD')
                    ? $"Column {i + 1} of the header is not readable text; the columns are {string.Join(",", CsvColumns)}."
                    : $"Unknown column \"{Shortened(name)}\"; the columns are {string.Join(",", CsvColumns)}.");
                ok = false;
            }
            else if (!columns.TryAdd(known, i))
            {
                addError(header.Line, $"The column \"{known}\" appears twice.");
                ok = false;
            }
        }
        foreach (var required in new[] { "kind", "prompt" }.Where(r => !columns.ContainsKey(r)))
        {
            addError(header.Line, $"The header needs a \"{required}\" column.");
            ok = false;
        }
        return ok ? columns : null;
    }

    static Question? ReadQuestion(Csv.Record record, Dictionary<string, int> columns, int eventId, Action<int, string> addError)
    {
        string Field(string name) => columns.TryGetValue(name, out var i) ? record.Fields[i] : "";
        var ok = true;
        void Error(string field, string message)
        {
            addError(record.Line, $"{field}: {message}");
            ok = false;
        }

        var input = new QuestionInput { Prompt = Field("prompt") };
        var kindText = Field("kind").Replace(" ", "").Replace("-", "").Replace("_", "");
        var kindOk = Enum.TryParse<QuestionKind>(kindText, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(kindText, out _);
        if (kindOk)
            input.Kind = kind;
        else
            Error("kind", $"\"{Shortened(Field("kind"))}\" is not FreeText, MultipleChoice or Numeric.");
        input.AcceptedAnswers = SplitList(Field("acceptedAnswers"));
        input.Options = SplitList(Field("options"));

        var correctText = Field("correctOption").Trim();
        var correctReported = false;
        if (correctText.Length > 0)
        {
            if (int.TryParse(correctText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= input.Options.Count)
                input.CorrectOption = number - 1;
            else if (input.Kind == QuestionKind.MultipleChoice)
            {
                Error("correctOption", $"\"{correctText}\" is not an option number between 1 and {input.Options.Count}.");
                correctReported = true;
            }
        }
        input.NumericAnswer = ParseNumber(Field("numericAnswer"), "numericAnswer", Error);
        input.Tolerance = ParseNumber(Field("tolerance"), "tolerance", Error);
        var limitText = Field("timeLimitSeconds").Trim();
        if (limitText.Length > 0)
        {
            if (int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit))
                input.TimeLimitSeconds = limit;
            else
                Error("timeLimitSeconds", $"\"{limitText}\" is not a whole number of seconds.");
        }
        var showText = Field("showPromptOnPresenter").Trim();
        if (IsOneOf(showText, YesWords))
            input.ShowPromptOnPresenter = true;
        else if (showText.Length > 0 && !IsOneOf(showText, NoWords))
            Error("showPromptOnPresenter", $"\"{showText}\" is not yes or no: write {string.Join(", ", YesWords)} for yes, " +
                $"{string.Join(", ", NoWords)} or nothing for no (in any case).");
        if (!kindOk)
            return null; // the kind decides which fields matter, so the rest cannot be judged
        foreach (var (field, owner) in FieldOwners)
        {
            // Saving the question would drop the field: an answer given for another kind says the kind is probably wrong
            // (a multiple-choice question typed as FreeText would go live without its buttons).
            if (owner != kind && Field(field).Trim().Length > 0)
                Error(field, $"a {kind} question has no {field} ({owner} questions do); empty the field or change the kind.");
        }

        var question = new Question { EventId = eventId, Prompt = "", Code = Tokens.NewQuestionCode() };
        input.ApplyTo(question);
        foreach (var (field, messages) in QuestionRules.Validate(question))
        {
            if (field == "correctOption" && correctReported)
                continue;
            foreach (var message in messages)
                Error(field, field == "correctOption" ? "Give the number of the correct option, counting from 1." : message);
        }
        return ok ? question : null;
    }

    // An Italian spreadsheet's file is told about semicolons, not the commas its prompts may well hold.
    static string SeparatorName(char? separator) => separator switch { ';' => "semicolons", '\t' => "tabs", _ => "commas" };

    /// <summary>
    /// What makes two questions the same for a participant: kind, prompt and answers (accepted answers as the matcher
    /// reads them, in any order). Time limit and presenter setting are left out: a question that differs only there is
    /// still asked twice.
    /// </summary>
    static string Sameness(Question q) => string.Join('\u001F',
        q.Kind.ToString(),
        q.Prompt.Trim().ReplaceLineEndings("\n"),
        string.Join('\u001E', q.AcceptedAnswers.Select(AnswerMatcher.Normalize).Distinct().Order(StringComparer.Ordinal)),
        string.Join('\u001E', q.Options),
        q.CorrectOption?.ToString(CultureInfo.InvariantCulture),
        q.NumericAnswer?.ToString("R", CultureInfo.InvariantCulture),
        q.Tolerance?.ToString("R", CultureInfo.InvariantCulture));

    static readonly (string Field, QuestionKind Owner)[] FieldOwners =
    [
        ("acceptedAnswers", QuestionKind.FreeText),
        ("options", QuestionKind.MultipleChoice),
        ("correctOption", QuestionKind.MultipleChoice),
        ("numericAnswer", QuestionKind.Numeric),
        ("tolerance", QuestionKind.Numeric),
    ];

    // Cut between whole characters as the screen shows them, so an echoed emoji or accent is not split.
    static string Shortened(string text) =>
        new StringInfo(text) is { LengthInTextElements: > 40 } info ? info.SubstringByTextElements(0, 40) + "…" : text;

    /// <summary>
    /// A spreadsheet saves a yes/no cell as its language writes TRUE and FALSE (Italian VERO/FALSO, German WAHR/FALSCH,
    /// French VRAI/FAUX, Spanish VERDADERO/FALSO, Portuguese VERDADEIRO/FALSO, Dutch WAAR/ONWAAR), and people type yes, sì or 1.
    /// </summary>
    static readonly string[] YesWords = ["true", "yes", "1", "vero", "sì", "si", "wahr", "ja", "vrai", "oui", "verdadero", "verdadeiro", "waar"];
    static readonly string[] NoWords = ["false", "no", "0", "falso", "falsch", "nein", "faux", "non", "onwaar"];

    // FormC: "sì" typed as i and a combining grave accent is the same word.
    static bool IsOneOf(string text, string[] words) =>
        words.Contains(text.Normalize(NormalizationForm.FormC), StringComparer.OrdinalIgnoreCase);

    static double? ParseNumber(string text, string field, Action<string, string> error)
    {
        text = text.Trim();
        if (text.Length == 0)
            return null;
        // A spreadsheet writes numbers as the sheet shows them, so a cell formatted with thousands commas saves a
        // thousand as "1,000", which the decimal comma of Italian spreadsheets would import as 1.
        if (QuestionRules.TwoWaysToRead(text) is { } twoWays)
        {
            error(field, twoWays);
            return null;
        }
        if (QuestionRules.TryParseNumber(text, out var value))
            return value;
        error(field, $"\"{text}\" is not a number.");
        return null;
    }

    static string JoinList(IEnumerable<string> values) =>
        string.Join("|", values.Select(v => v.Replace("\\", "\\\\").Replace("|", "\\|")));

    static List<string> SplitList(string text)
    {
        var items = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
            return items;
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '|' or '\\')
                current.Append(text[++i]);
            else if (c == '|')
            {
                items.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(c);
        }
        items.Add(current.ToString());
        return items;
    }
}
