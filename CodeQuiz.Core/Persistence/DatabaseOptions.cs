using System.ComponentModel.DataAnnotations;

namespace CodeQuiz.Core.Persistence;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (the embedded default) or SqlServer.</summary>
    [Required(ErrorMessage = "Database:Provider must be Sqlite or SqlServer."), AllowedValues("Sqlite", "SqlServer", ErrorMessage = "Database:Provider must be Sqlite or SqlServer.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>For SQLite a relative Data Source is taken from the app's folder.</summary>
    [Required(ErrorMessage = "Database:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "Data Source=codequiz.db";

    public bool IsSqlite => Provider == "Sqlite";
}
