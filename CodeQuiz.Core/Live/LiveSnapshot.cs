namespace CodeQuiz.Core.Live;

/// <summary>
/// Live statistics at one moment, published at most four times a second (never once per answer).
/// Everything here but the recent answers is public: the presenter and the SignalR hub may show it.
/// </summary>
public sealed record LiveSnapshot(
    DateTimeOffset At,
    IReadOnlyList<LiveQuestion> Questions,
    IReadOnlyList<RecentAnswer> RecentAnswers,
    int OutboxBacklog,
    int OutboxFailed)
{
    public static readonly LiveSnapshot Empty = new(DateTimeOffset.MinValue, [], [], 0, 0);

    public LiveQuestion? For(int questionId) => Questions.FirstOrDefault(q => q.QuestionId == questionId);
}

/// <summary>Counts for a question that has been open since the app started, or has answers stored from before it.</summary>
public sealed record LiveQuestion(
    int QuestionId,
    int EventId,
    int Answers,
    int Participants,
    int People,
    int Correct,
    double AnswersPerSecond,
    int LateAnswers)
{
    public double PercentCorrect => Answers == 0 ? 0 : 100.0 * Correct / Answers;
}

/// <summary>
/// One of the last answers to arrive: the console's "last answers", from where an organizer can leave the participant out
/// of the rankings. Never sent to the presenter hub, which has no use for the Telegram id.
/// </summary>
/// <param name="IsLate">Sent after the close or the time limit, so never ranked, right or not.</param>
public sealed record RecentAnswer(int QuestionId, string Name, string? Team, string Text, bool IsCorrect, DateTimeOffset At, long ParticipantId, bool IsLate = false);
