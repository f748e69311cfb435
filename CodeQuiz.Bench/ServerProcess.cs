using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CodeQuiz.Bench;

/// <summary>
/// CodeQuiz.Web.dll in a child process (`dotnet CodeQuiz.Web.dll`), configured through environment variables,
/// so that its CPU time and memory (read from /proc) are the server's alone.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StreamWriter _log;

    ServerProcess(Process process, StreamWriter log, string logPath, Uri address)
    {
        _process = process;
        _log = log;
        _logPath = logPath;
        Address = address;
    }

    readonly string _logPath;

    /// <summary>What the server has logged so far (its console output), read beside the bench's own writing of it.</summary>
    public string ReadLog()
    {
        using var file = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd();
    }

    public Uri Address { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static ServerProcess Start(string dll, IReadOnlyDictionary<string, string> settings, string logPath)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, // the content root: appsettings.json as shipped
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value;

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        if (!process.Start()) throw new InvalidOperationException("dotnet did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log, logPath, address);
    }

    /// <summary>Waits for GET /healthz to answer 200 (the database is migrated and the app listens).</summary>
    public async Task WaitHealthyAsync(HttpClient http, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was healthy; see its log.");
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The server was not healthy within {timeout.TotalSeconds} s; see its log.");
    }

    /// <summary>Peak and current resident memory (VmHWM, VmRSS) and CPU seconds (utime + stime) so far.</summary>
    public ProcessStats ReadStats()
    {
        long hwm = 0, rss = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kilobytes(line);
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
        }
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // Fields after the command name (which may hold spaces) start with the state, field 3; utime and stime are 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcessStats(hwm / 1024.0, rss / 1024.0, (double)ticks / ClockTicksPerSecond);
    }

    /// <summary>
    /// CPU seconds used so far by the runtime's tiered-compilation worker, which compiles hot methods again with full
    /// optimization in the background. Read per thread from /proc, since the worker exits when idle and a new one starts
    /// later: the total only ever grows, whatever threads come and go.
    /// </summary>
    public double TieringCpuSeconds()
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(TieringThread, StringComparison.Ordinal))
                    continue;
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                _tieringTicks[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = ticks;
            }
            catch (IOException)
            {
                // The thread ended between listing and reading: its last reading stands.
            }
        }
        return (double)_tieringTicks.Values.Sum() / ClockTicksPerSecond;
    }

    /// <summary>The worker's thread name as Linux keeps it (15 characters of ".NET Tiered Compilation Worker").</summary>
    const string TieringThread = ".NET Tiered Com";
    readonly Dictionary<int, long> _tieringTicks = [];

    static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    static readonly long ClockTicksPerSecond = Math.Max(1, sysconf(2 /* _SC_CLK_TCK */));

    /// <summary>SIGTERM, as a service manager would: the server drains its queue and stops.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        kill(_process.Id, 15);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await _process.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    [DllImport("libc")]
    static extern long sysconf(int name);
}

public readonly record struct ProcessStats(double PeakRssMb, double RssMb, double CpuSeconds);
