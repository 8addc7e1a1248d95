using System.Globalization;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// One reading of a process from Linux <c>/proc</c>: user and system CPU time (<c>/proc/PID/stat</c> fields 14 and
/// 15, in clock ticks of 1/100 s, Linux's USER_HZ) and resident memory (<c>VmRSS</c> of <c>/proc/PID/status</c>).
/// </summary>
public readonly record struct ProcStat(long UserTicks, long SystemTicks, long RssBytes)
{
    /// <summary>Linux reports CPU times in <c>/proc</c> in USER_HZ, which is 100 on every architecture .NET runs on.</summary>
    public const double TicksPerSecond = 100;

    /// <summary>Reads process <paramref name="pid"/>; null when it is gone or /proc is not there.</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var status = File.ReadAllText($"/proc/{pid}/status");
            return Parse(stat, status);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses the text of <c>/proc/PID/stat</c> and <c>/proc/PID/status</c>; null if either is malformed.</summary>
    public static ProcStat? Parse(string stat, string status)
    {
        // The command name (field 2) is in parentheses and may itself hold spaces and parentheses: split after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }

        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var parts = line[6..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                {
                    return new ProcStat(user, system, kib * 1024);
                }

                return null;
            }
        }

        return null;
    }
}
