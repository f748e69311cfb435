using System.ComponentModel.DataAnnotations;

namespace CodeQuiz.Core.Persistence;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public static readonly IReadOnlyList<string> Providers = ["Sqlite", "SqlServer"];

    /// <summary>Sqlite (the embedded default) or SqlServer, in any case, as Telegram:Mode is.</summary>
    [Required(ErrorMessage = "Database:Provider must be Sqlite or SqlServer.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The provider <see cref="Provider"/> names, as spelled in <see cref="Providers"/>; null when it names none.</summary>
    public string? KnownProvider => Providers.FirstOrDefault(p => p.Equals(Provider?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>For SQLite a relative Data Source is taken from the app's content root: the folder it is started from.</summary>
    [Required(ErrorMessage = "Database:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "Data Source=codequiz.db";

    public bool IsSqlite => KnownProvider == "Sqlite";
}
