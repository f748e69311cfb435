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
}
