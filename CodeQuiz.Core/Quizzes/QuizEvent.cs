namespace CodeQuiz.Core.Quizzes;

/// <summary>One live quiz, e.g. "Code Week 2026 final".</summary>
public class QuizEvent
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Language of the bot's texts for this event ("en", "it").</summary>
    public string Language { get; set; } = "en";

    /// <summary>Telegram channel the results go to: "@name" or a numeric chat id.</summary>
    public string? ChannelId { get; set; }

    public ScoringMode Scoring { get; set; } = ScoringMode.CorrectThenDelay;

    /// <summary>Read-only token of the presenter link; regenerating it retires old links.</summary>
    public string PresenterToken { get; set; } = Tokens.NewPresenterToken();

    public DateTimeOffset CreatedAt { get; set; }

    public List<Question> Questions { get; set; } = [];
}

public enum ScoringMode
{
    /// <summary>Correct answers first, then the smallest cumulative delay (the original Code Week rule).</summary>
    CorrectThenDelay,

    /// <summary>Each correct answer earns more points the faster it came.</summary>
    SpeedPoints,
}
