namespace CodeQuiz.Core.Quizzes;

/// <summary>A participant's first answer to a question; later ones are refused.</summary>
public class Answer
{
    public long Id { get; set; }
    public int QuestionId { get; set; }
    /// <summary>The participant's Telegram user id (no foreign key: see the answers' table in <c>QuizDbContext</c>).</summary>
    public long ParticipantId { get; set; }

    /// <summary>Telegram's update_id: the order Telegram received answers in, used for ranking.</summary>
    public long UpdateId { get; set; }

    /// <summary>What the participant sent, verbatim (for a button, the option's text).</summary>
    public required string Text { get; set; }

    public int? OptionIndex { get; set; }
    public bool IsCorrect { get; set; }

    /// <summary>Sent after the question closed: gets feedback, never ranks.</summary>
    public bool IsLate { get; set; }

    /// <summary>Telegram's message date when the update has one, else when we received it.</summary>
    public DateTimeOffset AnsweredAt { get; set; }

    /// <summary>
    /// The people the participant stood for when they answered: their team's head count then, else 1. A team that
    /// grows later does not change how many people answered an earlier question.
    /// </summary>
    public int People { get; set; } = 1;
}
