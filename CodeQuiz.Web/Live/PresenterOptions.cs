using System.ComponentModel.DataAnnotations;

namespace CodeQuiz.Web.Live;

/// <summary>How the presenter page paces itself (section "Presenter").</summary>
public sealed class PresenterOptions
{
    public const string Section = "Presenter";

    /// <summary>How long the podium stays on screen after a question closes before the leaderboard replaces it.</summary>
    [Range(0, 3600, ErrorMessage = "Presenter:PodiumSeconds must be between 0 and 3600.")]
    public int PodiumSeconds { get; set; } = 45;

    /// <summary>Rows of the event leaderboard shown between questions.</summary>
    [Range(1, 20, ErrorMessage = "Presenter:LeaderboardRows must be between 1 and 20.")]
    public int LeaderboardRows { get; set; } = 8;
}
