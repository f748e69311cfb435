namespace CodeQuiz.Web;

/// <summary>
/// Which folder CodeQuiz takes its settings, static files and relative database from (its content root). ASP.NET Core
/// takes the folder it is started from. A published CodeQuiz started from another folder (a systemd unit without
/// <c>WorkingDirectory=</c>, a shell somewhere else) would then read no <c>appsettings.json</c> (no bot token: Rehearsal
/// mode), serve the console without its styles and open a new, empty database, whose questions match no printed QR code.
/// So when the folder it is started from has no <c>appsettings.json</c> and the app's own folder is a published CodeQuiz
/// (its <c>appsettings.json</c> and <c>wwwroot</c>), the app's own folder is taken. A content root given on the command line
/// (<c>--contentRoot</c>) or in the environment (<c>DOTNET_CONTENTROOT</c>, <c>ASPNETCORE_CONTENTROOT</c>) is left as given.
/// </summary>
public static partial class AppFolder
{
    const string Settings = "appsettings.json", StaticFiles = "wwwroot";

    /// <summary>The app's own folder when it should be the content root instead of <paramref name="startedFrom"/>; null otherwise.</summary>
    public static string? ContentRootFor(string startedFrom, string appFolder, string[] args)
    {
        var given = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
        if (!string.IsNullOrEmpty(given))
            return null;

        var from = Path.TrimEndingDirectorySeparator(Path.GetFullPath(startedFrom));
        var own = Path.TrimEndingDirectorySeparator(Path.GetFullPath(appFolder));
        if (from == own || File.Exists(Path.Combine(from, Settings)))
            return null; // its own folder, or one with settings of its own: started there on purpose
        return File.Exists(Path.Combine(own, Settings)) && Directory.Exists(Path.Combine(own, StaticFiles)) ? own : null;
    }

    [LoggerMessage(LogLevel.Information, "CodeQuiz was started from {StartedFrom}, which has no appsettings.json: it takes its settings, its console's files and a relative database from its own folder, {Folder}")]
    public static partial void LogTaken(ILogger logger, string startedFrom, string folder);
}
