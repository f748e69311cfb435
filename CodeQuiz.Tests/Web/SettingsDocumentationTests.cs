using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// Every setting the app reads is in appsettings.example.json and in README's tables, with the default and the range
/// the app has, and the example and the docs name no setting the app does not read (a typo there would be copied into
/// real configurations and silently ignored).
/// </summary>
public partial class SettingsDocumentationTests
{
    static readonly Assembly[] Assemblies = [typeof(IngestOptions).Assembly, typeof(Program).Assembly];

    /// <summary>Section:Key for every settable property of every options class (nested classes give Section:Key:Inner).</summary>
    static IEnumerable<string> Settings() =>
        from type in Assemblies.SelectMany(a => a.GetTypes())
        let section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)
        where section is { IsLiteral: true } && section.FieldType == typeof(string)
        from key in Keys((string)section.GetRawConstantValue()!, type)
        select key;

    /// <summary>The options class of each section, by its name.</summary>
    static Dictionary<string, Type> Sections() =>
        (from type in Assemblies.SelectMany(a => a.GetTypes())
         let section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)
         where section is { IsLiteral: true } && section.FieldType == typeof(string)
         select (Name: (string)section.GetRawConstantValue()!, type)).ToDictionary(s => s.Name, s => s.type);

    /// <summary>The property a setting is read into, and its value in a fresh options object: the default.</summary>
    static (PropertyInfo Property, object? Default) Property(string setting)
    {
        var names = setting.Split(':');
        object? value = Activator.CreateInstance(Sections()[names[0]]);
        PropertyInfo property = null!;
        foreach (var name in names[1..])
        {
            property = value!.GetType().GetProperty(name)!;
            value = property.GetValue(value);
        }
        return (property, value);
    }

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

    /// <summary>Read by ASP.NET Core itself, not by an options class of CodeQuiz: the log levels and the host filter.</summary>
    static readonly string[] FrameworkSections = ["Logging", "AllowedHosts"];

    static bool IsFramework(string key) => FrameworkSections.Any(s => key == s || key.StartsWith(s + ":", StringComparison.Ordinal));

    static HashSet<string> ExampleSettings() =>
        ExampleKeys(JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "appsettings.example.json")))!, "").Where(k => !IsFramework(k)).ToHashSet();

    static Dictionary<string, string?> Flattened(string file) =>
        new ConfigurationBuilder().AddJsonFile(file).Build().AsEnumerable().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);

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

    /// <summary>A row of a README table: the settings it names and the cells after them.</summary>
    sealed record Row(string[] Settings, string[] Defaults, string Meaning);

    static List<Row> ReadmeRows()
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadAllLines(Path.Combine(Repository.Root, "README.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 3) continue;
            var names = Quoted(cells[0]);
            if (names.Count == 0 || !Sections().ContainsKey(names[0].Split(':')[0])) continue;
            // `Rehearsal:RateLimits:MessagesPerSecond`, `:Burst`: the second is another key beside the first.
            var parent = names[0][..names[0].LastIndexOf(':')];
            var settings = names.Select(n => n.StartsWith(':') ? parent + n : n).ToArray();
            var defaults = cells[1] is "empty" or "—" ? [cells[1]] : Quoted(cells[1]).ToArray();
            rows.Add(new Row(settings, defaults, cells[2]));
        }
        return rows;
    }

    static List<string> Quoted(string cell) => [.. QuotedText().Matches(cell).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex QuotedText();

    static string Written(object? value) => value switch
    {
        null => "empty",
        string { Length: 0 } => "empty",
        System.Collections.ICollection { Count: 0 } => "empty",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    [Fact]
    public void TheReadmeGivesEachSettingTheDefaultTheAppHas()
    {
        var rows = ReadmeRows();
        // A row this reading skips (a | inside a cell, say) would otherwise have its defaults go unchecked.
        AssertNone(Settings().Where(s => !rows.Any(r => r.Settings.Contains(s))), "in no README row read here");
        var wrong = new List<string>();
        foreach (var row in rows)
            for (var i = 0; i < row.Settings.Length; i++)
            {
                var written = row.Defaults.Length == 1 ? row.Defaults[0] : row.Defaults.ElementAtOrDefault(i) ?? "(none)";
                if (written == "—") written = "empty"; // no default, nothing set: as empty
                var actual = Written(Property(row.Settings[i]).Default);
                if (written != actual)
                    wrong.Add($"{row.Settings[i]} is {actual}, README says {written}");
            }
        AssertNone(wrong, "defaults in README.md that are not the app's");
    }

    /// <summary>
    /// The mistakes the app finds in a section with <paramref name="setting"/> set to <paramref name="value"/> and the rest
    /// left at their defaults: the data annotations of the section's class, as ValidateDataAnnotations checks them (the
    /// class itself, not the classes of its inner sections), and its own Validate(), which checks what annotations cannot
    /// (inner sections such as Rehearsal:RateLimits, a bound that is not itself allowed).
    /// </summary>
    static List<string> Mistakes(string setting, object value)
    {
        var names = setting.Split(':');
        var section = Activator.CreateInstance(Sections()[names[0]])!;
        var owner = names[1..^1].Aggregate(section, (o, name) => o.GetType().GetProperty(name)!.GetValue(o)!);
        owner.GetType().GetProperty(names[^1])!.SetValue(owner, value);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
        var mistakes = results.Select(r => r.ErrorMessage ?? "").ToList();
        if (section.GetType().GetMethod("Validate", Type.EmptyTypes)?.Invoke(section, null) is IEnumerable<string> own)
            mistakes.AddRange(own);
        return mistakes;
    }

    /// <summary>A range as README states it in a row's meaning: "(1–100)", "(more than 0, at most 10000)", "(at least 1)".</summary>
    sealed record Bounds(double Low, bool LowIncluded, double? High)
    {
        public override string ToString() =>
            High is null ? FormattableString.Invariant($"at least {Low}")
            : LowIncluded ? FormattableString.Invariant($"{Low}–{High}")
            : FormattableString.Invariant($"more than {Low}, at most {High}");
    }

    static Bounds? Stated(string meaning) =>
        StatedRange().Match(meaning) is { Success: true } m
            ? new Bounds(double.Parse(m.Groups["low"].Value, CultureInfo.InvariantCulture), !m.Groups["more"].Success,
                m.Groups["high"].Success ? double.Parse(m.Groups["high"].Value, CultureInfo.InvariantCulture) : null)
            : null;

    [GeneratedRegex(@"\((?:(?<low>[0-9.]+)–(?<high>[0-9.]+)[);]|(?<more>more than )(?<low>[0-9.]+), at most (?<high>[0-9.]+)\)|at least (?<low>[0-9.]+)\))")]
    private static partial Regex StatedRange();

    [Fact]
    public void EachWayReadmeStatesARangeIsRead()
    {
        // Guards the parsing: a range it missed would be taken for "any value" and never compared with the app's.
        Assert.Equal(new Bounds(0.1, true, 100), Stated("Speed of the crowd (0.1–100): 1 is a real audience"));
        Assert.Equal(new Bounds(0, true, 1000), Stated("How long the writer waits (0–1000; 0: write what is queued at once)"));
        Assert.Equal(new Bounds(0, false, 10_000), Stated("Messages per second (more than 0, at most 10000)."));
        Assert.Equal(new Bounds(1, true, null), Stated("How many may go at once (at least 1)."));
        Assert.Null(Stated("The bot's name (5–32 of `A-Z a-z 0-9 _`)"));
    }

    [Fact]
    public void TheReadmeGivesEachSettingTheRangeTheAppChecks()
    {
        // Asked of the app's own validation, at the stated bounds and just beyond them, so a range checked in code (as
        // the rate limits' are) is held to README as much as one written as a [Range].
        var wrong = new List<string>();
        foreach (var row in ReadmeRows())
            foreach (var setting in row.Settings)
            {
                var type = Nullable.GetUnderlyingType(Property(setting).Property.PropertyType) ?? Property(setting).Property.PropertyType;
                var whole = type == typeof(int) || type == typeof(long);
                if (!whole && type != typeof(double))
                {
                    if (Stated(row.Meaning) is { } range)
                        wrong.Add($"{setting} is not a number, README says ({range})");
                    continue;
                }
                object Value(double v) => type == typeof(int) ? (object)(int)Math.Clamp(v, int.MinValue, int.MaxValue) : type == typeof(long) ? (object)(long)v : v;
                bool Accepts(double v) => Mistakes(setting, Value(v)).Count == 0;
                var step = whole ? 1 : 0.001;
                var stated = Stated(row.Meaning);
                var probes = new List<(double Value, bool Accepted)>();
                if (stated is null)
                    probes.AddRange([(-1e9, true), (-1, true), (0, true), (1, true), (1e9, true)]); // any value, large or small
                else
                {
                    probes.AddRange([(stated.Low - step, false), (stated.Low, stated.LowIncluded), (stated.Low + step, true)]);
                    probes.AddRange(stated.High is { } high ? [(high, true), (high + step, false)] : [(1e9, true)]);
                }
                var unlike = probes.Where(p => Accepts(p.Value) != p.Accepted).Select(p => $"{(p.Accepted ? "refuses" : "takes")} {Written(Value(p.Value))}").ToList();
                if (unlike.Count > 0)
                    wrong.Add($"{setting}: README says {(stated is null ? "nothing of a range" : $"({stated})")}, the app {string.Join(", ", unlike)}");
            }
        AssertNone(wrong, "ranges in README.md that are not the app's");
    }

    [Fact]
    public void TheExampleFileHoldsTheDefaults()
    {
        // Copied as a starting point, it changes nothing but the one value that has to be an example.
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "appsettings.example.json")))!;
        var wrong = new List<string>();
        foreach (var setting in ExampleSettings().Where(s => s != "Telegram:WebhookUrl"))
        {
            var node = setting.Split(':').Aggregate((JsonNode?)root, (n, key) => n?[key]);
            var example = node switch
            {
                null => "empty",
                JsonArray { Count: 0 } => "empty",
                JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
                JsonValue v when v.TryGetValue<string>(out var text) => text.Length == 0 ? "empty" : text,
                _ => node.ToJsonString(),
            };
            var actual = Written(Property(setting).Default);
            if (example != actual)
                wrong.Add($"{setting} is {actual}, the example has {example}");
        }
        AssertNone(wrong, "values in appsettings.example.json that are not the app's defaults");
    }

    [Fact]
    public void TheExampleFileHoldsEverythingTheShippedSettingsFileSets()
    {
        // Copied over CodeQuiz.Web/appsettings.json, the example must not lose its log levels: at Information every
        // request and SQL command is logged, which slows the show.
        var example = Flattened(Path.Combine(Repository.Root, "appsettings.example.json"));
        var shipped = Flattened(Path.Combine(Repository.Root, "CodeQuiz.Web", "appsettings.json"));
        Assert.Contains("Logging:LogLevel:Microsoft.EntityFrameworkCore", shipped.Keys);
        AssertNone(shipped.Where(p => !example.TryGetValue(p.Key, out var value) || value != p.Value).Select(p => $"{p.Key}={p.Value}"),
            "set by CodeQuiz.Web/appsettings.json but not so in appsettings.example.json");
    }

    [Fact]
    public void TheDocsNameOnlySettingsTheAppReads()
    {
        var settings = Settings().ToList();
        var sections = string.Join("|", Sections().Keys);
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Append(Path.Combine(Repository.Root, "README.md"));
        var unknown = new List<string>();
        foreach (var file in files)
            foreach (Match m in Regex.Matches(File.ReadAllText(file), $@"\b(?:{sections})(?:(?::|__)[A-Z][A-Za-z]*)+"))
            {
                // Telegram__BotToken, as an environment variable; Rehearsal:RateLimits names a section of settings.
                var name = m.Value.Replace("__", ":");
                if (!settings.Any(s => s == name || s.StartsWith(name + ":", StringComparison.Ordinal)))
                    unknown.Add($"{name} ({Path.GetFileName(file)})");
            }
        AssertNone(unknown.Distinct(), "named in the docs but read by no options class");
    }

    static void AssertNone(IEnumerable<string> settings, string what)
    {
        var list = settings.ToList();
        Assert.True(list.Count == 0, $"{what}: {string.Join(", ", list)}");
    }
}
