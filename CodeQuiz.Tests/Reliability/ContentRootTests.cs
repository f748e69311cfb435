using System.Text.Json.Nodes;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The default database (<c>Data Source=codequiz.db</c>) lives in the content root, the folder CodeQuiz is started from.
/// A file watcher on that folder, as ASP.NET Core keeps to reload appsettings.json, is woken by every write to the
/// database's log: tens of thousands of times a second during a crowd's answers, about a tenth of the webhook's server
/// CPU per update in the benchmark.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class ContentRootTests
{
    [Fact]
    public async Task TheServerWatchesNoFileInTheFolderOfItsDatabase()
    {
        var directory = Directory.CreateTempSubdirectory("codequiz-root-").FullName;
        try
        {
            await using (var server = ServerProcess.Start(directory, new Dictionary<string, string?>()))
            {
                await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
                Assert.True(File.Exists(Path.Combine(directory, "codequiz.db")), "The default database is in the content root.");

                // Each inotify instance is a file descriptor whose link reads anon_inode:inotify (FileSystemWatcher's, on Linux).
                var watchers = Directory.GetFiles($"/proc/{server.Id}/fd")
                    .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
                    .Count(target => target == "anon_inode:inotify");
                Assert.True(watchers == 0, $"The server watches files ({watchers} inotify instances): each write to its database's log would wake the watcher.");
            }
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// A published CodeQuiz (its appsettings.json and wwwroot beside it) started from another folder, as a systemd unit
    /// without WorkingDirectory= starts it: it reads its own appsettings.json and keeps its database in its own folder, not
    /// a new, empty one where it was started, and its log says so.
    /// </summary>
    [Fact]
    public async Task APublishedServerStartedFromAnotherFolderTakesItsSettingsAndDatabaseFromItsOwn()
    {
        var published = Directory.CreateTempSubdirectory("codequiz-published-").FullName;
        var startedFrom = Directory.CreateTempSubdirectory("codequiz-elsewhere-").FullName;
        try
        {
            // The build output with what publishing adds beside it: the static files' folder.
            var output = AppContext.BaseDirectory;
            foreach (var file in Directory.GetFiles(output))
                File.Copy(file, Path.Combine(published, Path.GetFileName(file)));
            foreach (var runtime in new[] { "linux-x64", "unix" })
                CopyFolder(Path.Combine(output, "runtimes", runtime), Path.Combine(published, "runtimes", runtime));
            Directory.CreateDirectory(Path.Combine(published, "wwwroot"));
            // A database name that only its own appsettings.json gives.
            var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(published, "appsettings.json")))!;
            settings["Database"]!["ConnectionString"] = "Data Source=show.db";
            File.WriteAllText(Path.Combine(published, "appsettings.json"), settings.ToJsonString());

            await using (var server = ServerProcess.Start(startedFrom, new Dictionary<string, string?>(), Path.Combine(published, "CodeQuiz.Web.dll")))
            {
                await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
                Assert.True(File.Exists(Path.Combine(published, "show.db")), $"No show.db in the app's own folder; where it was started: {string.Join(", ", Directory.GetFiles(startedFrom).Select(Path.GetFileName))}");
                Assert.Empty(Directory.GetFileSystemEntries(startedFrom));
                Assert.Contains($"CodeQuiz was started from {startedFrom}, which has no appsettings.json: it takes its settings, " +
                    $"its console's files and a relative database from its own folder, {published}", server.Output.ReplaceLineEndings(" "));
            }
        }
        finally
        {
            foreach (var folder in new[] { published, startedFrom })
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    static void CopyFolder(string from, string to)
    {
        foreach (var folder in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, folder)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
