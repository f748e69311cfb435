using System.Globalization;

namespace CodeQuiz.Bench;

/// <summary>
/// The block device under the benchmark's folder and what it did, from /proc/diskstats: the write requests and cache
/// flushes it completed and the milliseconds they took, queueing included. The webhook's every answer waits for a flush
/// of SQLite's log, so a run in which the VM's disk answered slowly reads lower; these say whether it did. Nothing is read
/// where there is no /proc, or when the folder's device has no line of its own (a RAM disk, an overlay).
/// </summary>
public sealed class DiskStats(string folder)
{
    readonly string? _device = DeviceOf(Path.GetFullPath(folder));

    public DiskTimes Read()
    {
        if (_device is null || !File.Exists("/proc/diskstats")) return default;
        foreach (var line in File.ReadLines("/proc/diskstats"))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 14 || $"{f[0]}:{f[1]}" != _device) continue;
            double At(int i) => i < f.Length ? double.Parse(f[i], CultureInfo.InvariantCulture) : 0;
            // major minor name, then: reads, merged, sectors, ms; writes, merged, sectors, ms (7, 8, 9, 10); in flight, ms,
            // weighted ms; discards, merged, sectors, ms; flushes, ms (18, 19) on kernels since 5.5.
            return new DiskTimes(Writes: At(7), WriteMs: At(10), Flushes: At(18), FlushMs: At(19));
        }
        return default;
    }

    /// <summary>"major:minor" of the file system holding <paramref name="path"/>: the longest mount point above it.</summary>
    static string? DeviceOf(string path)
    {
        if (!File.Exists("/proc/self/mountinfo")) return null;
        string? device = null;
        var longest = -1;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point options …
            var f = line.Split(' ');
            if (f.Length < 5) continue;
            var mount = f[4];
            var above = mount == "/" || path == mount || path.StartsWith(mount + "/", StringComparison.Ordinal);
            if (above && mount.Length > longest)
            {
                longest = mount.Length;
                device = f[2];
            }
        }
        return device;
    }
}

/// <summary>A disk's completed write requests and flushes since boot, and the milliseconds each kind took in all.</summary>
public readonly record struct DiskTimes(double Writes, double WriteMs, double Flushes, double FlushMs)
{
    public static DiskTimes operator -(DiskTimes a, DiskTimes b) =>
        new(a.Writes - b.Writes, a.WriteMs - b.WriteMs, a.Flushes - b.Flushes, a.FlushMs - b.FlushMs);

    public static DiskTimes operator +(DiskTimes a, DiskTimes b) =>
        new(a.Writes + b.Writes, a.WriteMs + b.WriteMs, a.Flushes + b.Flushes, a.FlushMs + b.FlushMs);
}
