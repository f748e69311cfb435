namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// Opening and closing questions. Both go through the ingest pipeline so that every update
/// Telegram received before a close is decided before the ranking is made. The console and
/// the API use this, never the Question entity's methods directly.
/// </summary>
public interface IQuizLifecycle
{
    /// <summary>Opens a draft question: announces it in the channel. Throws <see cref="QuestionStateException"/> when not a draft, <see cref="KeyNotFoundException"/> when unknown.</summary>
    Task<Question> OpenAsync(int questionId, CancellationToken cancellationToken = default);

    /// <summary>Closes an open question: ranks it and posts the results to the channel.</summary>
    Task<Question> CloseAsync(int questionId, CancellationToken cancellationToken = default);

    /// <summary>Tells the bot that events or questions were created, edited or deleted.</summary>
    void CatalogChanged();
}
