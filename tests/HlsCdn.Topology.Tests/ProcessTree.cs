using System.Globalization;

namespace HlsCdn.Topology.Tests;

/// <summary>A process's descendants, read from /proc (Linux), so a stop reaches grandchildren a child started.</summary>
public static class ProcessTree
{
    /// <summary>Ids of all descendants of <paramref name="rootId"/> (empty where /proc is not available).</summary>
    public static IReadOnlyList<int> Descendants(int rootId)
    {
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ParentOf(dir) is not { } parent)
            {
                continue;
            }

            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(pid);
        }

        var result = new List<int>();
        var pending = new Queue<int>([rootId]);
        while (pending.TryDequeue(out var current))
        {
            foreach (var child in children.GetValueOrDefault(current) ?? [])
            {
                result.Add(child);
                pending.Enqueue(child);
            }
        }

        return result;
    }

    private static int? ParentOf(string procDirectory)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
            var stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
