namespace CodeQuiz.Core.Quizzes;

/// <summary>One question's outcome: GET /api/questions/{id}/results, the console, the presenter and the channel post.</summary>
/// <param name="PercentCorrect">The API's, with one decimal.</param>
/// <param name="Correct">
/// The right answers on time, which screens and posts write the whole percent from (<see cref="QuizFormat.Percent(int, int)"/>):
/// rounded from <paramref name="PercentCorrect"/>, 5 right of 11 (45.45%, 45.5) read "46%" in the channel and on the
/// results page beside the live page's "45%". Not in the API, whose contract has the percent.
/// </param>
public sealed record QuestionResults(
    int QuestionId,
    QuestionState State,
    int TotalAnswers,
    int LateAnswers,
    int Participants,
    int People,
    double PercentCorrect,
    IReadOnlyList<RankedAnswer> Ranking,
    IReadOnlyList<AnswerCount> Distribution,
    [property: System.Text.Json.Serialization.JsonIgnore] int Correct);

/// <summary>
/// A correct on-time answer in Telegram's order; <see cref="Rank"/> 1–3 get medals. <see cref="ParticipantId"/> is the
/// participant's Telegram user id, what an organizer leaves out of the rankings by (POST /api/participants/{id}/leave-out).
/// </summary>
public sealed record RankedAnswer(int Rank, string Name, string? Team, double DelaySeconds, long ParticipantId);

/// <summary>How many gave an answer; <see cref="IsCorrect"/> marks the right one(s). "(other)" is never correct: it holds only wrong answers.</summary>
public sealed record AnswerCount(string Answer, int Count, bool IsCorrect = false);

public sealed record Leaderboard(IReadOnlyList<LeaderboardEntry> Participants, IReadOnlyList<TeamLeaderboardEntry> Teams);

/// <summary><see cref="ParticipantId"/> is the participant's Telegram user id: two winners may share a name.</summary>
public sealed record LeaderboardEntry(int Rank, string Name, string? Team, int Correct, double TotalDelaySeconds, int Points, long ParticipantId);

public sealed record TeamLeaderboardEntry(int Rank, string Team, int HeadCount, int Correct, double TotalDelaySeconds, int Points);
