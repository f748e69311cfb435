using System.Reflection;
using System.Text.RegularExpressions;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// The tests README and docs/*.md point to exist: the classes and tests they name, the folders and files under
/// CodeQuiz.Tests, the --filter commands (each runs at least one test), and the simulator's members that rehearsal.md
/// offers to tests. A renamed test would otherwise leave a command that runs nothing and says so only as "no test matches".
/// </summary>
public partial class DocumentedTestsTests
{
    static readonly Assembly Tests = typeof(DocumentedTestsTests).Assembly;

    static IEnumerable<(string File, string Text)> Docs() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Append(Path.Combine(Repository.Root, "README.md"))
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)));

    /// <summary>Every test's full name, Namespace.Class.Method, as dotnet test --filter matches it.</summary>
    static List<string> TestNames() =>
        [.. from type in Tests.GetTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            where method.GetCustomAttributes<FactAttribute>().Any()
            select $"{type.FullName}.{method.Name}"];

    static void AssertNone(List<string> wrong, string what) =>
        Assert.True(wrong.Count == 0, $"{what}: {string.Join(", ", wrong)}");

    [Fact]
    public void EveryTestClassAndTestTheDocsNameExists()
    {
        var names = TestNames();
        Assert.Contains(names, n => n.EndsWith(".SettingsDocumentationTests.EverySettingIsInTheExampleFile", StringComparison.Ordinal));
        var wrong = new List<string>();
        foreach (var (file, text) in Docs())
        {
            foreach (var name in TestClass().Matches(text).Select(m => m.Value).Distinct())
                if (!names.Any(n => n.Contains($".{name}.", StringComparison.Ordinal)))
                    wrong.Add($"{name} ({file})");
            foreach (Match m in TestMethod().Matches(text))
                if (!names.Any(n => n.EndsWith($".{m.Groups[1].Value}.{m.Groups[2].Value}", StringComparison.Ordinal)))
                    wrong.Add($"{m.Value} ({file})");
        }
        AssertNone(wrong, "named in the docs but no test");
    }

    // CodeQuiz.Tests is the project, not a class.
    [GeneratedRegex(@"(?<![.\w])[A-Z]\w*Tests\b")]
    private static partial Regex TestClass();

    [GeneratedRegex(@"(?<![.\w])([A-Z]\w*Tests)\.([A-Z]\w*)\b")]
    private static partial Regex TestMethod();

    [Fact]
    public void EveryTestFolderAndFileTheDocsNameExists()
    {
        var wrong = new List<string>();
        foreach (var (file, text) in Docs())
            foreach (var path in TestPath().Matches(text).Select(m => m.Value.TrimEnd('.', '/')))
                // CodeQuiz.Tests/bin/… is where a build puts its output, not part of the repository.
                if (!path.StartsWith("CodeQuiz.Tests/bin", StringComparison.Ordinal)
                    && !File.Exists(Path.Combine(Repository.Root, path)) && !Directory.Exists(Path.Combine(Repository.Root, path)))
                    wrong.Add($"{path} ({file})");
        AssertNone(wrong, "named in the docs but not in the repository");
    }

    [GeneratedRegex(@"CodeQuiz\.Tests/[\w./]*")]
    private static partial Regex TestPath();

    [Fact]
    public void EveryTestFilterTheDocsGiveRunsATest()
    {
        var names = TestNames();
        var categories = (from type in Tests.GetTypes()
                          from trait in type.GetCustomAttributesData().Where(a => a.AttributeType == typeof(TraitAttribute))
                          where (string?)trait.ConstructorArguments[0].Value == "Category"
                          select (string)trait.ConstructorArguments[1].Value!).ToHashSet();
        var filters = Docs().SelectMany(d => Filter().Matches(d.Text).Select(m => (d.File, Filter: m.Groups[1].Value))).ToList();
        Assert.Contains(filters, f => f.Filter == "Category=Reliability");

        var wrong = new List<string>();
        foreach (var (file, filter) in filters)
        {
            var runs = filter.Split('=', 2) is ["Category", var category] ? categories.Contains(category)
                // A bare name is FullyQualifiedName~name to dotnet test.
                : filter.Split('~', 2) is [var property, var part] ? property == "FullyQualifiedName" && names.Any(n => n.Contains(part, StringComparison.Ordinal))
                : !filter.Contains('=') && names.Any(n => n.Contains(filter, StringComparison.Ordinal));
            if (!runs)
                wrong.Add($"--filter {filter} ({file})");
        }
        AssertNone(wrong, "filters in the docs that run no test");
    }

    [GeneratedRegex(@"--filter ([^\s`]+)")]
    private static partial Regex Filter();

    [Fact]
    public void TheSimulatorsMembersRehearsalMdOffersToTestsExist()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "docs", "rehearsal.md"));
        var section = text[text.IndexOf("## In tests", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var members = typeof(TelegramSimulator).GetMembers().Concat(typeof(VirtualCrowd).GetMembers()).Select(m => m.Name).ToHashSet();
        var types = Tests.GetTypes().Concat(typeof(TelegramSimulator).Assembly.GetTypes()).Select(t => t.Name).ToHashSet();

        var named = Identifier().Matches(section).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("DeliverWebhooksThrough", named);
        AssertNone([.. named.Where(n => !members.Contains(n) && !types.Contains(n))], "named in rehearsal.md's \"In tests\" but not there");
    }

    // `SendText`, `DeliverWebhooksThrough(handler)`.
    [GeneratedRegex(@"`([A-Z]\w*)(?:\([^)`]*\))?`")]
    private static partial Regex Identifier();
}
