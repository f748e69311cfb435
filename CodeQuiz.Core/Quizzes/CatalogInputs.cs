namespace CodeQuiz.Core.Quizzes;

/// <summary>An event as organizers edit it (console form and API body).</summary>
public sealed class EventInput
{
    public string? Name { get; set; }

    /// <summary>"en" or "it": the language of the bot's texts.</summary>
    public string? Language { get; set; } = "en";

    /// <summary>"@channelname" or a numeric chat id such as -1001234567890; empty for none.</summary>
    public string? ChannelId { get; set; }

    public ScoringMode Scoring { get; set; } = ScoringMode.CorrectThenDelay;

    public static EventInput From(QuizEvent quizEvent) => new()
    {
        Name = quizEvent.Name,
        Language = quizEvent.Language,
        ChannelId = quizEvent.ChannelId,
        Scoring = quizEvent.Scoring,
    };
}

/// <summary>A question as organizers edit it (console form, API body, CSV line).</summary>
public sealed class QuestionInput
{
    public string? Prompt { get; set; }
    public QuestionKind Kind { get; set; } = QuestionKind.FreeText;
    public List<string>? AcceptedAnswers { get; set; } = [];
    public List<string>? Options { get; set; } = [];

    /// <summary>Zero-based index into <see cref="Options"/>.</summary>
    public int? CorrectOption { get; set; }

    public double? NumericAnswer { get; set; }
    public double? Tolerance { get; set; }
    public int? TimeLimitSeconds { get; set; }
    public bool ShowPromptOnPresenter { get; set; }

    public static QuestionInput From(Question question) => new()
    {
        Prompt = question.Prompt,
        Kind = question.Kind,
        AcceptedAnswers = [.. question.AcceptedAnswers],
        Options = [.. question.Options],
        CorrectOption = question.CorrectOption,
        NumericAnswer = question.NumericAnswer,
        Tolerance = question.Tolerance,
        TimeLimitSeconds = question.TimeLimitSeconds,
        ShowPromptOnPresenter = question.ShowPromptOnPresenter,
    };

    /// <summary>Copies the fields onto <paramref name="question"/>, keeping only those its kind uses.</summary>
    public void ApplyTo(Question question)
    {
        question.Prompt = Prompt ?? "";
        question.Kind = Kind;
        question.AcceptedAnswers = Kind == QuestionKind.FreeText ? Clean(AcceptedAnswers, dropEmpty: true) : [];
        question.Options = Kind == QuestionKind.MultipleChoice ? Clean(Options, dropEmpty: false) : [];
        question.CorrectOption = Kind == QuestionKind.MultipleChoice ? CorrectOption : null;
        question.NumericAnswer = Kind == QuestionKind.Numeric ? NumericAnswer : null;
        question.Tolerance = Kind == QuestionKind.Numeric ? Tolerance : null;
        question.TimeLimitSeconds = TimeLimitSeconds;
        question.ShowPromptOnPresenter = ShowPromptOnPresenter;
    }

    static List<string> Clean(List<string>? values, bool dropEmpty) =>
        [.. (values ?? []).Select(v => (v ?? "").Trim()).Where(v => !dropEmpty || v.Length > 0)];
}
