namespace CodeQuiz.Core.Quizzes;

/// <summary>A Telegram user who talked to the bot; the key is the Telegram user id.</summary>
public class Participant
{
    public long Id { get; set; }
    public required string FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Username { get; set; }
    public string? LanguageCode { get; set; }

    /// <summary>
    /// Team name when the participant answers for a group: 3–64 characters as a screen shows them (an emoji or a flag is
    /// one), and at most <see cref="TeamNameStoredMax"/> UTF-16 units.
    /// </summary>
    public string? TeamName { get; set; }

    /// <summary>People in the team (1–500); null for a single person.</summary>
    public int? HeadCount { get; set; }

    /// <summary>Where the participant is in the team registration dialog.</summary>
    public RegistrationStep Registration { get; set; }

    /// <summary>The question the participant's next text answers (set by /start CODE).</summary>
    public int? CurrentQuestionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Set when an organizer left the participant out of the rankings (an offensive name on the projector, say): their
    /// answers still count, but no podium, results post or leaderboard shows them.
    /// </summary>
    public DateTimeOffset? LeftOutAt { get; set; }

    public string DisplayName => DisplayNameOf(FirstName, LastName);

    /// <summary>How a participant is named everywhere: the channel post, the API, the console, the presenter.</summary>
    public static string DisplayNameOf(string firstName, string? lastName) =>
        string.IsNullOrEmpty(lastName) ? firstName : $"{firstName} {lastName}";

    /// <summary>How many people this account stands for.</summary>
    public int People => HeadCount ?? 1;

    public const int TeamNameMin = 3, TeamNameMax = 64, HeadCountMin = 1, HeadCountMax = 500;

    /// <summary>
    /// The team name's column, in UTF-16 units: 64 emoji with a skin tone each (four units apiece). Only accents stacked on
    /// letters or emoji joined from several (a family is eleven units) make a name of 64 characters longer.
    /// </summary>
    public const int TeamNameStoredMax = 256;
}

public enum RegistrationStep { None, AwaitingTeamName, AwaitingHeadCount }
