using System.Globalization;

namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// What makes a question playable. Keys are the API's camelCase field names, so the result can be
/// returned as validation problem details as it is.
/// </summary>
public static class QuestionRules
{
    public const int PromptMax = 4000, OptionsMin = 2, OptionsMax = 10, OptionTextMax = 64, AnswerMax = 1000, AcceptedAnswersMax = 100;
    public const int TimeLimitMin = 5, TimeLimitMax = 3600;

    public static IReadOnlyDictionary<string, string[]> Validate(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
                errors[field] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(question.Prompt))
            Add("prompt", "The prompt is required.");
        else if (Bot.VisibleText.Count(question.Prompt) == 0)
            Add("prompt", "The prompt shows nothing: it holds only invisible characters (zero-width spaces, say).");
        else if (question.Prompt.Length > PromptMax)
            Add("prompt", $"The prompt must be at most {PromptMax} characters (it has {question.Prompt.Length}).");

        switch (question.Kind)
        {
            case QuestionKind.FreeText:
                var accepted = question.AcceptedAnswers ?? [];
                // A participant's answer that shows nothing is not taken, so an accepted answer that shows nothing can never be given.
                if (!accepted.Any(a => Bot.VisibleText.Count(a) > 0))
                    Add("acceptedAnswers", accepted.Any(a => !string.IsNullOrWhiteSpace(a))
                        ? "A free-text question needs at least one accepted answer that shows something: these hold only invisible characters, which no participant can send."
                        : "A free-text question needs at least one accepted answer.");
                if (accepted.Any(a => a is { Length: > AnswerMax }))
                    Add("acceptedAnswers", $"Each accepted answer must be at most {AnswerMax} characters.");
                // Every list of the event's questions carries them all: a pasted word list must not make each one megabytes.
                if (accepted.Count > AcceptedAnswersMax)
                    Add("acceptedAnswers", $"A question takes at most {AcceptedAnswersMax} accepted answers (it has {accepted.Count}); the matcher already ignores case, accents, spaces and punctuation around them.");
                break;

            case QuestionKind.MultipleChoice:
                var options = question.Options ?? [];
                if (options.Count is < OptionsMin or > OptionsMax)
                    Add("options", $"A multiple-choice question needs {OptionsMin} to {OptionsMax} options (it has {options.Count}).");
                for (var i = 0; i < options.Count; i++)
                {
                    if (Bot.VisibleText.Count(options[i]) == 0)
                        Add("options", $"Option {OptionLabel(i)} is empty{(string.IsNullOrWhiteSpace(options[i]) ? "" : " (it holds only invisible characters)")}.");
                    else if (options[i].Length > OptionTextMax)
                        Add("options", $"Option {OptionLabel(i)} must be at most {OptionTextMax} characters, the most a button shows (it has {options[i].Length}).");
                }
                var duplicates = options.Where(o => Bot.VisibleText.Count(o) > 0)
                    .GroupBy(AnswerMatcher.Normalize).Where(g => g.Count() > 1).Select(g => g.First()).ToList();
                foreach (var duplicate in duplicates)
                    Add("options", $"Options must differ; \"{duplicate}\" appears more than once.");
                if (question.CorrectOption is not { } correct)
                    Add("correctOption", "Choose the correct option.");
                else if (correct < 0 || correct >= options.Count)
                    Add("correctOption", $"The correct option must be between 0 and {Math.Max(0, options.Count - 1)} (zero-based).");
                break;

            case QuestionKind.Numeric:
                if (question.NumericAnswer is not { } number)
                    Add("numericAnswer", "A numeric question needs the expected number.");
                else if (!double.IsFinite(number))
                    Add("numericAnswer", "The expected number must be finite.");
                if (question.Tolerance is { } tolerance && !(tolerance >= 0 && double.IsFinite(tolerance)))
                    Add("tolerance", "The tolerance must be zero or more.");
                break;

            default:
                Add("kind", "The kind must be FreeText, MultipleChoice or Numeric.");
                break;
        }

        if (question.TimeLimitSeconds is { } limit && limit is < TimeLimitMin or > TimeLimitMax)
            Add("timeLimitSeconds", $"The time limit must be between {TimeLimitMin} and {TimeLimitMax} seconds, or empty for none.");

        if (!Tokens.IsValidQuestionCode(question.Code))
            Add("code", "The code must be 1 to 16 characters of A-Z, a-z, 0-9, '_' or '-'.");

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>
    /// A number as an organizer types it, with '.' or ',' as the decimal mark (3.14, 3,14), whatever the server's
    /// language: the console's fields and the CSV question bank read numbers alike.
    /// </summary>
    static readonly System.Text.RegularExpressions.Regex ThousandsOrDecimal = new(@"^(?<whole>[+-]?[1-9]\d{0,2}),(?<rest>\d{3})$");

    /// <summary>
    /// What to say about a number that reads two ways, or null: in English "1,000" is a thousand, where a decimal comma
    /// (which <see cref="TryParseNumber"/> takes) would read 1. The editor and the CSV import ask rather than guess.
    /// </summary>
    public static string? TwoWaysToRead(string? text)
    {
        if (ThousandsOrDecimal.Match((text ?? "").Trim()) is not { Success: true } both)
            return null;
        var (whole, rest) = (both.Groups["whole"].Value, both.Groups["rest"].Value);
        return $"“{text!.Trim()}” could be {whole}{rest} (a thousands comma) or {whole}.{rest} (a decimal comma): write it as one of those.";
    }

    public static bool TryParseNumber(string? text, out double value) =>
        double.TryParse((text ?? "").Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>"A" for the first option, "B" for the second…</summary>
    public static string OptionLabel(int index) => ((char)('A' + index)).ToString();
}
