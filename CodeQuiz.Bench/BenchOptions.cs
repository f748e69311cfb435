using System.Globalization;

namespace CodeQuiz.Bench;

/// <summary>Command line of the benchmark; every default is the documented run.</summary>
public sealed record BenchOptions
{
    /// <summary>Measured webhook time per variant (the baseline gets half of it, interleaved).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Slice { get; init; } = TimeSpan.FromSeconds(5);
    public int Connections { get; init; } = 100;
    public int PollingUpdates { get; init; } = 200_000;
    public int CloseAnswers { get; init; } = 100_000;
    public HashSet<string> Phases { get; init; } = ["webhook", "reply", "polling", "close"];
    public string? ServerDll { get; init; }
    public bool Keep { get; init; }
    public List<KeyValuePair<string, string>> ServerSettings { get; init; } = [];

    public const string Usage = """
        CodeQuiz benchmark: drives the Release build of CodeQuiz.Web like Telegram would and prints one JSON line.
          --duration <s>        measured webhook seconds per variant (default 60)
          --quick               10 s per variant, short warm-up, fewer polling updates (a smoke run)
          --warmup <s>          unmeasured seconds at least before the measurement (default 10), and then on until the
                                server's tiered compilation has settled (at most 60 s more)
          --slice <s>           seconds per interleaved slice (default 5; longer slices help a profiler)
          --connections <n>     concurrent webhook connections (default 100, as Telegram's max_connections)
          --phases <list>       any of webhook,reply,polling,close (default all)
          --server <dll>        CodeQuiz.Web.dll to run (default: the one built next to this solution)
          --set Key=Value       extra server setting, e.g. --set Ingest:MaxBatchSize=500 (repeatable)
          --keep                keep the temporary folder (databases and server logs)
        """;

    /// <summary>The options, or null (with a message on stderr) when the command line is wrong.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            try
            {
                switch (args[i])
                {
                    case "--duration":
                        o = o with { Duration = TimeSpan.FromSeconds(PositiveInt(Next(), "--duration")) };
                        break;
                    case "--quick":
                        o = o with { Duration = TimeSpan.FromSeconds(10), Warmup = TimeSpan.FromSeconds(3), PollingUpdates = 50_000 };
                        break;
                    case "--warmup":
                        o = o with { Warmup = TimeSpan.FromSeconds(PositiveInt(Next(), "--warmup")) };
                        break;
                    case "--slice":
                        o = o with { Slice = TimeSpan.FromSeconds(PositiveInt(Next(), "--slice")) };
                        break;
                    case "--connections":
                        o = o with { Connections = PositiveInt(Next(), "--connections") };
                        break;
                    case "--phases":
                        var phases = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                        if (phases.Except(["webhook", "reply", "polling", "close"]).FirstOrDefault() is { } unknown)
                            throw new ArgumentException($"--phases: unknown phase '{unknown}' (webhook, reply, polling, close).");
                        o = o with { Phases = phases };
                        break;
                    case "--server":
                        o = o with { ServerDll = Path.GetFullPath(Next()) };
                        break;
                    case "--set":
                        var pair = Next();
                        var eq = pair.IndexOf('=');
                        if (eq <= 0) throw new ArgumentException($"--set wants Key=Value (was '{pair}').");
                        o.ServerSettings.Add(new(pair[..eq], pair[(eq + 1)..]));
                        break;
                    case "--keep":
                        o = o with { Keep = true };
                        break;
                    case "-h" or "--help":
                        Console.Error.WriteLine(Usage);
                        return null;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine(Usage);
                return null;
            }
        }
        return o;
    }

    static int PositiveInt(string value, string name) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive whole number (was '{value}').");
}
