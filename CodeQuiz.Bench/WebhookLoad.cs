using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace CodeQuiz.Bench;

public enum Target { Webhook, Baseline }

/// <summary>
/// Drives POST /telegram/webhook like Telegram: a fixed number of connections, one chat in flight on each,
/// every update sent until it is acknowledged (a 503 or a timeout is retried, as Telegram retries), a tenth
/// of deliveries repeated, now and then a body that is not an update. Between slices it switches every
/// connection to the baseline endpoint of the same server, so the two are measured under the same noise.
/// </summary>
public sealed class WebhookLoad(HttpClient http, Uri server, string secret, Traffic traffic, int connections)
{
    public const string WebhookPath = "/telegram/webhook", BaselinePath = "/telegram/webhook-baseline";
    const double RepeatShare = 1.0 / 9, MalformedShare = 0.002;

    readonly Worker[] _workers = Enumerable.Range(0, connections).Select(i => new Worker(i)).ToArray();
    volatile Target _target = Target.Webhook;
    volatile bool _recording, _stop;
    long _rejected;

    public async Task<LoadResult> RunAsync(ServerProcess process, BenchOptions options, DiskStats disk, Action<string> progress)
    {
        var tasks = _workers.Select(w => Task.Run(() => WorkAsync(w))).ToArray();

        // Warm-up: JIT, tiered compilation and connection set-up for both endpoints, not recorded; then on until the
        // runtime has compiled the hot code again with full optimization, however long that takes on this machine.
        var warmupStarted = Stopwatch.GetTimestamp();
        _target = Target.Baseline;
        await Task.Delay(options.Warmup / 5);
        _target = Target.Webhook;
        await Task.Delay(options.Warmup - options.Warmup / 5);
        var settled = await TieringSettledAsync(process, MaxTieringWait);
        // Then a slice of each endpoint in turn, as measured, and compilation settled again. The baseline's own code had
        // only the start of the warm-up, in the JIT's busiest seconds, and could still be compiled again during the first
        // measured baseline slice, which often ran slow: the first pair's ratio was a run's highest (0.654 on the mean of
        // ten runs against 0.60 for the next five pairs).
        _target = Target.Baseline;
        await Task.Delay(options.Slice);
        _target = Target.Webhook;
        await Task.Delay(options.Slice);
        settled = await TieringSettledAsync(process, MaxTieringWait) && settled;
        var warmupSeconds = Stopwatch.GetElapsedTime(warmupStarted).TotalSeconds;
        progress(settled
            ? $"warm-up {warmupSeconds:F0} s: tiered compilation settled"
            : $"warm-up {warmupSeconds:F0} s: tiered compilation still busy, measuring anyway");
        var tieringBefore = process.TieringCpuSeconds();

        // Measured: a webhook slice, then a baseline slice as long, in turn, until the webhook had its full duration. Both
        // endpoints get the same time, so the baseline's number is as sure as the webhook's; each pair's ratio is kept too.
        var seconds = new Dictionary<Target, double> { [Target.Webhook] = 0, [Target.Baseline] = 0 };
        var cpu = new Dictionary<Target, double> { [Target.Webhook] = 0, [Target.Baseline] = 0 };
        var load = new Dictionary<Target, double> { [Target.Webhook] = 0, [Target.Baseline] = 0 };
        var machine = new Dictionary<Target, MachineTimes> { [Target.Webhook] = default, [Target.Baseline] = default };
        var disks = new Dictionary<Target, DiskTimes> { [Target.Webhook] = default, [Target.Baseline] = default };
        var webhookLeft = options.Duration;
        var slice = 0;
        var sliceRatios = new List<double>();

        // One slice of one endpoint: the server's CPU, this process's (the load generator's), and how the cores' time went.
        // Returns the updates acknowledged per second within the slice.
        async Task<double> MeasureAsync(Target target, TimeSpan length)
        {
            _target = target;
            var okBefore = _workers.Sum(w => w.Stats[(int)target].Ok);
            var before = process.ReadStats().CpuSeconds;
            var loadBefore = Environment.CpuUsage.TotalTime.TotalSeconds;
            var machineBefore = MachineTimes.Read();
            var diskBefore = disk.Read();
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(length);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            seconds[target] += elapsed;
            cpu[target] += process.ReadStats().CpuSeconds - before;
            load[target] += Environment.CpuUsage.TotalTime.TotalSeconds - loadBefore;
            machine[target] += MachineTimes.Read() - machineBefore;
            disks[target] += disk.Read() - diskBefore;
            var ok = _workers.Sum(w => w.Stats[(int)target].Ok);
            progress($"{target} slice {++slice}: {ok} acknowledged so far");
            return (ok - okBefore) / elapsed;
        }

        _recording = true;
        while (webhookLeft > TimeSpan.Zero)
        {
            var length = Min(options.Slice, webhookLeft);
            var webhook = await MeasureAsync(Target.Webhook, length);
            webhookLeft -= length;
            var baseline = await MeasureAsync(Target.Baseline, length);
            sliceRatios.Add(baseline == 0 ? 0 : webhook / baseline);
        }
        _recording = false;
        var tieringMeasured = process.TieringCpuSeconds() - tieringBefore;
        _stop = true;
        await Task.WhenAll(tasks);

        return new LoadResult(
            new WarmupSummary(warmupSeconds, settled, tieringMeasured),
            Summarize(Target.Webhook, seconds[Target.Webhook], cpu[Target.Webhook], load[Target.Webhook], machine[Target.Webhook], disks[Target.Webhook]),
            Summarize(Target.Baseline, seconds[Target.Baseline], cpu[Target.Baseline], load[Target.Baseline], machine[Target.Baseline], disks[Target.Baseline]),
            _workers.SelectMany(w => w.Acked).ToList(),
            _workers.SelectMany(w => w.AckedAnswers).ToList(),
            _workers.Sum(w => w.AckedMalformed),
            Interlocked.Read(ref _rejected),
            sliceRatios);
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// How long the warm-up may wait for tiered compilation after its fixed part. Under this load the runtime recompiles
    /// thousands of hot methods (instrumented, then optimized) for 20–26 s after the first webhook call, taking a quarter
    /// of the two cores at first; measured slices during that would weigh start-up, not the steady state.
    /// </summary>
    static readonly TimeSpan MaxTieringWait = TimeSpan.FromSeconds(60);

    /// <summary>Settled: the tiering worker used under 2.5 % of a core over the last two seconds.</summary>
    const double SettledCpuSecondsPerWindow = 0.05;

    /// <summary>Waits until tiered compilation has settled (true), or <paramref name="atMost"/> in vain (false).</summary>
    static async Task<bool> TieringSettledAsync(ServerProcess process, TimeSpan atMost)
    {
        var until = Stopwatch.GetTimestamp() + (long)(atMost.TotalSeconds * Stopwatch.Frequency);
        var window = new Queue<double>([process.TieringCpuSeconds()]);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            window.Enqueue(process.TieringCpuSeconds());
            if (window.Count > 3) window.Dequeue();
            if (window.Count == 3 && window.Last() - window.Peek() < SettledCpuSecondsPerWindow)
                return true;
            if (Stopwatch.GetTimestamp() > until)
                return false;
        }
    }

    TargetSummary Summarize(Target target, double seconds, double cpuSeconds, double loadCpuSeconds, MachineTimes machine, DiskTimes disk)
    {
        var stats = _workers.Select(w => w.Stats[(int)target]).ToList();
        var latencies = stats.SelectMany(s => s.LatencyMicros).ToArray();
        Array.Sort(latencies);
        double Percentile(double p) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)] / 1000.0;
        var ok = stats.Sum(s => s.Ok);
        return new TargetSummary(
            Requests: ok,
            Seconds: seconds,
            PerSecond: ok / seconds,
            NewUpdatesPerSecond: stats.Sum(s => s.New) / seconds,
            P50Ms: Percentile(0.50), P99Ms: Percentile(0.99), P999Ms: Percentile(0.999), MaxMs: Percentile(1.0),
            Repeats: stats.Sum(s => s.Repeats),
            Malformed: stats.Sum(s => s.Malformed),
            Refused: stats.Sum(s => s.Refused),
            RepliesInResponse: stats.Sum(s => s.Replies),
            CpuSeconds: cpuSeconds,
            CpuMsPerUpdate: ok == 0 ? 0 : cpuSeconds * 1000 / ok,
            LoadCpuMsPerUpdate: ok == 0 ? 0 : loadCpuSeconds * 1000 / ok,
            IdleShare: Share(machine.Idle),
            StealShare: Share(machine.Steal),
            OtherShare: Share(Math.Max(0, machine.Busy - cpuSeconds - loadCpuSeconds)),
            Disk: seconds == 0 ? default : new DiskSummary(
                FlushesPerSecond: disk.Flushes / seconds, FlushMs: disk.Flushes == 0 ? 0 : disk.FlushMs / disk.Flushes,
                WritesPerSecond: disk.Writes / seconds, WriteMs: disk.Writes == 0 ? 0 : disk.WriteMs / disk.Writes));

        double Share(double coreSeconds) => seconds == 0 ? 0 : coreSeconds / (seconds * Environment.ProcessorCount);
    }

    async Task WorkAsync(Worker worker)
    {
        var random = new Random(worker.Index * 7919 + 17);
        while (!_stop)
        {
            var target = _target;
            var path = target == Target.Webhook ? WebhookPath : BaselinePath;
            if (random.NextDouble() < MalformedShare)
            {
                if (await DeliverAsync(worker, target, path, Traffic.MalformedBody(random), isNew: false, isRepeat: false) && target == Target.Webhook)
                    worker.AckedMalformed++;
                worker.Stats[(int)target].Malformed++;
            }

            // One user's whole script goes to one endpoint: an answer needs the /start before it stored.
            var user = traffic.NewUser();
            foreach (var kind in Traffic.Script)
            {
                if (_stop) break;
                var id = traffic.NextUpdateId();
                var body = traffic.Build(kind, user, id, random);
                if (!await DeliverAsync(worker, target, path, body, isNew: true, isRepeat: false)) break;
                if (target == Target.Webhook)
                {
                    worker.Acked.Add(id);
                    if (Traffic.IsAnswer(kind)) worker.AckedAnswers.Add(id);
                }
                if (random.NextDouble() < RepeatShare && !_stop)
                {
                    // Telegram sends an update again when it did not see our answer in time.
                    if (!await DeliverAsync(worker, target, path, body, isNew: false, isRepeat: true)) break;
                    worker.Stats[(int)target].Repeats++;
                }
            }
        }
    }

    /// <summary>Sends until a 200 (true), or false when the run ends before one came.</summary>
    async Task<bool> DeliverAsync(Worker worker, Target target, string path, byte[] body, bool isNew, bool isRepeat)
    {
        var stats = worker.Stats[(int)target];
        while (true)
        {
            var recording = _recording;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("X-Telegram-Bot-Api-Secret-Token", secret);
            var started = Stopwatch.GetTimestamp();
            HttpStatusCode status;
            long length;
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                status = response.StatusCode;
                length = (await response.Content.ReadAsByteArrayAsync()).Length;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                status = 0;
                length = 0;
            }
            var micros = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).Ticks / 10);
            if (status == HttpStatusCode.OK)
            {
                if (recording)
                {
                    stats.Ok++;
                    if (isNew && !isRepeat) stats.New++;
                    if (length > 0) stats.Replies++;
                    stats.LatencyMicros.Add(micros);
                }
                return true;
            }
            if (status is not (0 or HttpStatusCode.ServiceUnavailable))
            {
                // Anything but "busy" or a dropped connection is a bug the run reports, not something to retry.
                Interlocked.Increment(ref _rejected);
                return false;
            }
            if (recording) stats.Refused++;
            if (_stop) return false;
            await Task.Delay(50); // Telegram waits before it retries
        }
    }

    sealed class Worker(int index)
    {
        public int Index { get; } = index;
        public TargetStats[] Stats { get; } = [new(), new()];
        public List<long> Acked { get; } = [];
        public List<long> AckedAnswers { get; } = [];
        public int AckedMalformed { get; set; }
    }

    sealed class TargetStats
    {
        public long Ok, New, Repeats, Malformed, Refused, Replies;
        public List<int> LatencyMicros { get; } = [];
    }
}

/// <param name="SliceRatios">Each webhook slice's updates per second over the baseline slice right after it, in order.</param>
public sealed record LoadResult(WarmupSummary Warmup, TargetSummary Webhook, TargetSummary Baseline, List<long> AckedUpdateIds, List<long> AckedAnswerIds, int AckedMalformed, long Rejected,
    List<double> SliceRatios);

/// <summary>How long the warm-up took, whether tiered compilation settled in it, and its CPU seconds in the measured slices.</summary>
public sealed record WarmupSummary(double Seconds, bool TieringSettled, double TieringCpuSecondsMeasured);

public sealed record TargetSummary(
    long Requests, double Seconds, double PerSecond, double NewUpdatesPerSecond,
    double P50Ms, double P99Ms, double P999Ms, double MaxMs,
    long Repeats, long Malformed, long Refused, long RepliesInResponse,
    double CpuSeconds, double CpuMsPerUpdate, double LoadCpuMsPerUpdate, double IdleShare,
    double StealShare, double OtherShare, DiskSummary Disk);

/// <summary>The benchmark folder's disk within an endpoint's slices: flushes and write requests a second, and their mean time.</summary>
public readonly record struct DiskSummary(double FlushesPerSecond, double FlushMs, double WritesPerSecond, double WriteMs);

/// <summary>
/// The cores' time since boot by what it went to, from the first line of /proc/stat (in USER_HZ ticks, 100 a second on
/// Linux), in seconds summed over the cores; all zero where there is no /proc. <see cref="Busy"/> is the time the cores
/// worked for this machine: threads, and interrupts (loopback's network processing, the disk's completions), which
/// /proc/stat counts apart but a process's own CPU time (the server's, the load generator's) includes when they ran on
/// its behalf. <see cref="Steal"/> is the time the hypervisor gave a core to another guest while this one had work for it.
/// </summary>
public readonly record struct MachineTimes(double Busy, double Idle, double Steal)
{
    public static MachineTimes Read()
    {
        if (!File.Exists("/proc/stat")) return default;
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is within user already)
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture) / 100).ToArray();
        return new MachineTimes(Busy: f[0] + f[1] + f[2] + f[5] + f[6], Idle: f[3] + f[4], Steal: f.Length > 7 ? f[7] : 0);
    }

    public static MachineTimes operator -(MachineTimes a, MachineTimes b) => new(a.Busy - b.Busy, a.Idle - b.Idle, a.Steal - b.Steal);

    public static MachineTimes operator +(MachineTimes a, MachineTimes b) => new(a.Busy + b.Busy, a.Idle + b.Idle, a.Steal + b.Steal);
}
