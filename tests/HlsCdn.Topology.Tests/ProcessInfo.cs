using System.Globalization;

namespace HlsCdn.Topology.Tests;

/// <summary>
/// A process as seen in /proc at one moment: its id and start time (so a recycled pid is never mistaken for it).
/// </summary>
public readonly record struct ProcessId(int Pid, long StartTicks, string Name)
{
    public override string ToString() => $"{Name}[{Pid}]";
}

/// <summary>Reads processes' identity, memory and CPU time from /proc (Linux).</summary>
public static class ProcessInfo
{
    /// <summary>Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>The process's identity now, or null when it does not exist (or is a zombie).</summary>
    public static ProcessId? Identify(int pid) =>
        ReadStat(pid) is { } stat ? new ProcessId(pid, stat.StartTicks, stat.Name) : null;

    /// <summary>Whether <paramref name="process"/> (the same pid and start time) still runs.</summary>
    public static bool IsAlive(ProcessId process) =>
        ReadStat(process.Pid) is { } stat && stat.StartTicks == process.StartTicks;

    /// <summary>How long ago the process started (now by /proc/uptime, less its start time since boot).</summary>
    public static TimeSpan Age(ProcessId process)
    {
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(uptime - (process.StartTicks / TicksPerSecond));
    }

    /// <summary>User + system CPU time the process has used, in clock ticks; null when it is gone.</summary>
    public static long? CpuTicks(ProcessId process) =>
        ReadStat(process.Pid) is { } stat && stat.StartTicks == process.StartTicks ? stat.CpuTicks : null;

    /// <summary>Resident set size in KiB (VmRSS of /proc/PID/status); null when it is gone.</summary>
    public static long? RssKiB(ProcessId process) => Field(process, "status", "VmRSS:");

    /// <summary>Proportional set size in KiB (shared pages divided among their users; /proc/PID/smaps_rollup); null when it is gone.</summary>
    public static long? PssKiB(ProcessId process) => Field(process, "smaps_rollup", "Pss:");

    /// <summary>The (kB) number after <paramref name="key"/> in /proc/PID/<paramref name="file"/>.</summary>
    private static long? Field(ProcessId process, string file, string key)
    {
        if (!IsAlive(process))
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Pid}/{file}"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var value = line[key.Length..].Trim().Split(' ')[0];
                    return long.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Exited meanwhile.
        }

        return null;
    }

    private static (string Name, long StartTicks, long CpuTicks)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ..."; comm may contain spaces and parentheses. After the comm: field 3 is index 0.
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        var name = text[(open + 1)..close];
        var fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 20 || fields[0] is "Z" or "X")
        {
            return null;
        }

        // Fields 14 (utime), 15 (stime) and 22 (starttime), 1-based over the whole line.
        var utime = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        var start = long.Parse(fields[22 - 3], CultureInfo.InvariantCulture);
        return (name, start, utime + stime);
    }
}
