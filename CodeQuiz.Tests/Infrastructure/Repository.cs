namespace CodeQuiz.Tests.Infrastructure;

/// <summary>The checkout the tests were built from: README, appsettings.example.json, docs.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CodeQuiz.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("CodeQuiz.sln not found above " + AppContext.BaseDirectory);
    }
}
