using System.Reflection;
using System.Text.Json.Nodes;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// Every setting the app reads is in appsettings.example.json and in README's tables, and the example names no
/// setting the app does not read (a typo there would be copied into real configurations and silently ignored).
/// </summary>
public class SettingsDocumentationTests
{
    static readonly Assembly[] Assemblies = [typeof(IngestOptions).Assembly, typeof(Program).Assembly];

    /// <summary>Section:Key for every settable property of every options class (nested classes give Section:Key:Inner).</summary>
    static IEnumerable<string> Settings() =>
        from type in Assemblies.SelectMany(a => a.GetTypes())
        let section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)
        where section is { IsLiteral: true } && section.FieldType == typeof(string)
        from key in Keys((string)section.GetRawConstantValue()!, type)
        select key;

    static IEnumerable<string> Keys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var t = property.PropertyType;
            if (t.IsClass && t != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
                foreach (var inner in Keys(key, t))
                    yield return inner;
            else
                yield return key;
        }
    }

    static IEnumerable<string> ExampleKeys(JsonNode node, string prefix) =>
        node is JsonObject obj
            ? obj.SelectMany(p => p.Value is JsonObject ? ExampleKeys(p.Value, Join(prefix, p.Key)) : [Join(prefix, p.Key)])
            : [];

    static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}:{key}";

    static HashSet<string> ExampleSettings() =>
        ExampleKeys(JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "appsettings.example.json")))!, "").ToHashSet();

    [Fact]
    public void TheOptionsClassesAreFound()
    {
        // Guards the reflection above: a renamed Section constant would otherwise make the other tests pass on nothing.
        Assert.Contains("Ingest:MaxBatchSize", Settings());
        Assert.Contains("Rehearsal:RateLimits:ChannelBurst", Settings());
        Assert.Contains("Presenter:PodiumSeconds", Settings());
    }

    [Fact]
    public void EverySettingIsInTheExampleFile()
    {
        var example = ExampleSettings();
        AssertNone(Settings().Where(s => !example.Contains(s)), "missing from appsettings.example.json");
    }

    [Fact]
    public void TheExampleFileNamesOnlySettingsTheAppReads()
    {
        var settings = Settings().ToHashSet();
        AssertNone(ExampleSettings().Where(s => !settings.Contains(s)), "in appsettings.example.json but read by no options class");
    }

    [Fact]
    public void EverySettingIsDescribedInTheReadme()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "README.md")).Where(l => l.StartsWith('|')).ToList();
        // A table row names a setting in full, or after another of its section as `:Key` (`Rehearsal:RateLimits:Burst`).
        bool Described(string setting)
        {
            var parent = setting[..setting.LastIndexOf(':')];
            var key = setting[(setting.LastIndexOf(':') + 1)..];
            return lines.Any(l => l.Contains($"`{setting}`") || (l.Contains($"`{parent}:") && l.Contains($"`:{key}`")));
        }
        AssertNone(Settings().Where(s => !Described(s)), "in no table of README.md");
    }

    static void AssertNone(IEnumerable<string> settings, string what)
    {
        var list = settings.ToList();
        Assert.True(list.Count == 0, $"{what}: {string.Join(", ", list)}");
    }
}
