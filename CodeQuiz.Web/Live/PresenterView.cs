using System.Text.Json.Serialization;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Web.Live;

/// <summary>What the audience is shown next: follows the organizer's open and close by itself.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PresenterPhase>))]
public enum PresenterPhase
{
    /// <summary>A question is open: QR code, code, counters, countdown.</summary>
    Open,

    /// <summary>A question closed a moment ago: podium and distribution.</summary>
    Closed,

    /// <summary>Before the first question and after a podium has been shown: the event leaderboard.</summary>
    Between,
}

/// <summary>
/// Everything the presenter page and the SignalR hub show for one event. It is public by construction:
/// names and teams of the podium and leaderboard, counts, the correct answer once closed — never Telegram ids,
/// never who gave a wrong answer, never free text typed by participants.
/// </summary>
/// <param name="RegisterLink">Before the first question: the deep link that registers a team (a class, a club).</param>
/// <param name="Language">The event's language ("en", "it"): the audience reads the screen in the bot's language.</param>
public sealed record PresenterView(
    string EventName,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ScoringMode>))] ScoringMode Scoring,
    PresenterPhase Phase,
    int QuestionCount,
    PresenterQuestion? Question,
    PresenterCounts Counts,
    IReadOnlyList<PresenterWinner> Podium,
    IReadOnlyList<PresenterBar> Distribution,
    IReadOnlyList<PresenterStanding> Leaderboard,
    DateTimeOffset ServerTime,
    string? RegisterLink = null,
    string Language = "en")
{
    /// <summary>Changes when the page must be laid out again (not when only counters move).</summary>
    public string PhaseKey => $"{Phase}:{Question?.Id ?? 0}".ToLowerInvariant();
}

/// <param name="Number">1-based position in the event.</param>
/// <param name="Prompt">Only when the organizer chose to show it on the presenter.</param>
/// <param name="CorrectAnswer">Only once the question is closed.</param>
public sealed record PresenterQuestion(
    int Id,
    int Number,
    string Code,
    string DeepLink,
    string? Prompt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? Deadline,
    string? CorrectAnswer);

/// <summary>
/// A podium place as the screen shows it. Unlike the organizers' ranking it carries no participant id: the presenter
/// link is shared with the projector and the stream, and a Telegram user id is not theirs to see.
/// </summary>
/// <param name="Decimals">The delay's decimals, decided with the places below the podium (<see cref="QuizFormat.RankingDecimals"/>).</param>
public sealed record PresenterWinner(int Rank, string Name, string? Team, double DelaySeconds, int Decimals = 1);

/// <summary>On-time answers, the people they stand for (teams count their head count) and how many of the answers are right.</summary>
public sealed record PresenterCounts(int Answers, int People, int Correct)
{
    public static readonly PresenterCounts None = new(0, 0, 0);
}

/// <summary>One bar of the distribution: a multiple-choice option, or the correct answer versus every other answer.</summary>
public sealed record PresenterBar(string Label, int Count, bool IsCorrect);

/// <param name="Points">Speed points in that scoring mode, else the correct count.</param>
/// <param name="Decimals">The total delay's decimals, decided over the console's rows (<see cref="QuizFormat.TotalDecimals"/>).</param>
public sealed record PresenterStanding(int Rank, string Name, string? Team, int Correct, double TotalDelaySeconds, int Points, int Decimals = 1);
