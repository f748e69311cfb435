using CodeQuiz.Web;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// A published CodeQuiz started from another folder takes its settings, its console's files and its relative database
/// from its own folder; started anywhere else on purpose, or told where, it stays as told.
/// </summary>
public sealed class AppFolderTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("codequiz-folders-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Folder(string name, bool settings = false, bool staticFiles = false)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        if (settings) File.WriteAllText(Path.Combine(folder, "appsettings.json"), "{}");
        if (staticFiles) Directory.CreateDirectory(Path.Combine(folder, "wwwroot"));
        return folder;
    }

    [Fact]
    public void APublishedAppStartedFromAFolderWithoutSettingsTakesItsOwnFolder()
    {
        var published = Folder("srv", settings: true, staticFiles: true);
        var home = Folder("home");

        Assert.Equal(published, AppFolder.ContentRootFor(home, published + Path.DirectorySeparatorChar, []));
        Assert.Equal(published, AppFolder.ContentRootFor(home, published, ["--urls", "http://127.0.0.1:5000"]));
    }

    [Fact]
    public void StartedFromItsOwnFolderOrFromOneWithSettingsOfItsOwnItStaysThere()
    {
        var published = Folder("srv", settings: true, staticFiles: true);

        Assert.Null(AppFolder.ContentRootFor(published, published + Path.DirectorySeparatorChar, []));
        Assert.Null(AppFolder.ContentRootFor(Folder("show", settings: true), published, []));
    }

    [Fact]
    public void ABuildOutputIsNoPublishedApp()
    {
        // dotnet run and the tests start the build output, whose static files are served from the project: no wwwroot
        // beside the app, and the folder it is started from stays the content root.
        Assert.Null(AppFolder.ContentRootFor(Folder("temp"), Folder("bin", settings: true), []));
        Assert.Null(AppFolder.ContentRootFor(Folder("temp2"), Folder("no-settings", staticFiles: true), []));
    }

    [Theory]
    [InlineData("--contentRoot", true)]
    [InlineData("--contentroot", true)]
    [InlineData("--contentRoot=", false)]
    [InlineData("/contentRoot", true)]
    public void AContentRootGivenOnTheCommandLineIsLeftAsGiven(string option, bool separate)
    {
        var published = Folder("srv", settings: true, staticFiles: true);
        var chosen = Folder("chosen");
        string[] args = separate ? [option, chosen] : [option + chosen];

        Assert.Null(AppFolder.ContentRootFor(Folder("home"), published, args));
    }
}
