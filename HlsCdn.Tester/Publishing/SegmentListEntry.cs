using System.Globalization;

namespace HlsCdn.Tester.Publishing;

/// <summary>One line of ffmpeg's segment muxer list in CSV form (<c>-segment_list_type csv</c>): <c>name,start,end</c>.</summary>
public sealed record SegmentListEntry(string FileName, double Start, double End)
{
    /// <summary>The segment's duration.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(End - Start);

    /// <summary>
    /// Parses a line; the file name may be quoted (ffmpeg quotes names that contain commas or quotes, doubling quotes).
    /// Returns null for a line that is not a segment entry.
    /// </summary>
    public static SegmentListEntry? TryParse(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        line = line.Trim();
        var lastComma = line.LastIndexOf(',');
        if (lastComma <= 0)
        {
            return null;
        }

        var middleComma = line.LastIndexOf(',', lastComma - 1);
        if (middleComma <= 0)
        {
            return null;
        }

        var name = line[..middleComma];
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"')
        {
            name = name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        if (!double.TryParse(line.AsSpan(middleComma + 1, lastComma - middleComma - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
            || !double.TryParse(line.AsSpan(lastComma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var end)
            || name.Length == 0 || !(end > start))
        {
            return null;
        }

        return new SegmentListEntry(name, start, end);
    }
}
