using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The real server as a child process: <c>dotnet CodeQuiz.Web.dll</c> from this test's build output (the test
/// project references the web project, so its dll, deps and runtimeconfig are copied next to the tests),
/// configured only through environment variables, on a port of its own choosing.
/// </summary>
sealed partial class ServerProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ServerProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public Uri? Address => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : null;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output { get { lock (_output) return _output.ToString(); } }
    public string Errors { get { lock (_errors) return _errors.ToString(); } }
    readonly StringBuilder _errors = new();

    public static string WebDll => Path.Combine(AppContext.BaseDirectory, "CodeQuiz.Web.dll");

    /// <summary>
    /// Starts the server in <paramref name="directory"/> (its content root) with only these settings; <paramref name="webDll"/>
    /// starts another copy of the app than this build output's.
    /// </summary>
    public static ServerProcess Start(string directory, IReadOnlyDictionary<string, string?> settings, string? webDll = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(webDll ?? WebDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.Contains("__")).ToList())
            start.Environment.Remove(key);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data, server._output);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, server._errors);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException("The server exited before it listened."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    void OnLine(string? line, StringBuilder into)
    {
        if (line is null) return;
        lock (into) into.AppendLine(line);
        if (ListeningLine().Match(line) is { Success: true } m)
            _listening.TrySetResult(new Uri(m.Groups[1].Value));
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    /// <summary>Waits until Kestrel listens and /healthz answers 200.</summary>
    public async Task<Uri> WaitReadyAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var address = await _listening.Task.WaitAsync(cts.Token);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            while (true)
            {
                try
                {
                    if ((await http.GetAsync(new Uri(address, "/healthz"), cts.Token)).IsSuccessStatusCode) return address;
                }
                catch (HttpRequestException) { }
                await Task.Delay(50, cts.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The server did not become ready.\nstdout:\n{Output}\nstderr:\n{Errors}\nthreads:\n{Threads()}", e);
        }
    }

    /// <summary>
    /// The server's threads: id, name, state, CPU ticks and what the kernel has them wait on (futex, epoll, a file
    /// lock). For a server that stopped answering, it tells a stuck wait from a busy loop.
    /// </summary>
    public string Threads()
    {
        try
        {
            return string.Join("\n", Directory.GetDirectories($"/proc/{Id}/task").Select(task =>
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // state, ppid, … utime is the 12th after the name
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                var wchan = File.ReadAllText(Path.Combine(task, "wchan"));
                return $"{Path.GetFileName(task)} {name}: {fields[0]}, cpu {fields[11]}+{fields[12]}, waits on {wchan}";
            }));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"not readable: {e.Message}";
        }
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    /// <summary>SIGTERM, as systemd, Docker and Kubernetes stop a service.</summary>
    public void Terminate()
    {
        if (!_process.HasExited) SendSignal(_process.Id, 15);
    }

    /// <summary>Throws OperationCanceledException when the process still runs after <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        // Awaited here: returning the task would dispose the timer with the source and wait forever.
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        Kill();
        try { await WaitForExitAsync(TimeSpan.FromSeconds(10)); } catch (OperationCanceledException) { }
        _process.Dispose();
    }
}
