namespace HlsCdn.Tester.Publishing;

/// <summary>
/// The duration of the first segment of an encode, from its content. ffmpeg's segment list starts the first segment at
/// stream time 0, but the test pattern's timestamps start at the wall-clock time of its first frame (after ffmpeg's
/// start-up, see <see cref="ClockOverlay"/>), so the listed duration of segment 0 counts the start-up too. A player
/// told that a fragment lasts 1.7 s when it holds 1 s of video aims too far behind live.
/// </summary>
public static class SegmentDuration
{
    /// <summary>
    /// The span of the video frames' presentation times in <paramref name="ts"/> plus one average frame interval, when
    /// it is shorter than <paramref name="listed"/>; otherwise <paramref name="listed"/>.
    /// </summary>
    public static TimeSpan OfFirst(ReadOnlySpan<byte> ts, TimeSpan listed)
    {
        IReadOnlyList<TsTimestamp> stamps;
        try
        {
            stamps = TsTimestampRewriter.ReadTimestamps(ts);
        }
        catch (FormatException)
        {
            return listed;
        }

        long min = long.MaxValue, max = long.MinValue;
        var frames = 0;
        foreach (var stamp in stamps)
        {
            if (stamp.Kind != TsTimestampKind.Pts || !stamp.IsVideo)
            {
                continue;
            }

            frames++;
            min = Math.Min(min, stamp.Value);
            max = Math.Max(max, stamp.Value);
        }

        if (frames < 2 || max - min > TsTimestampRewriter.TimestampModulus / 2)
        {
            return listed;
        }

        var span = (max - min) * (double)frames / (frames - 1) / TsTimestampRewriter.ClockRate;
        return span > 0 && span < listed.TotalSeconds ? TimeSpan.FromSeconds(span) : listed;
    }
}
