using System.Globalization;
using System.Runtime.CompilerServices;

namespace HlsCdn.Tester.Publishing;

/// <summary>
/// Loops the small pre-encoded clip shipped in the tool (4 s of test pattern, 640x360, 25 fps, H.264 + AAC, in four
/// segments) at real-time pace, for machines without ffmpeg. Each pass shifts every timestamp by the clip's length
/// (<see cref="TsTimestampRewriter"/>) so players see one continuous stream.
/// </summary>
public sealed class ClipSegmentSource : ISegmentSource
{
    /// <summary>The clip's length: 100 video frames at 25 fps. The timestamps move by this much per pass.</summary>
    public static readonly TimeSpan LoopLength = TimeSpan.FromSeconds(4);

    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    /// <param name="reason">Why the clip is used (shown in the description), e.g. "ffmpeg not found".</param>
    /// <param name="time">The clock that paces the segments.</param>
    public ClipSegmentSource(string? reason = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Description = "the pre-encoded 4 s test clip in a loop" + (reason is null ? string.Empty : $" ({reason})");
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The clip's segments as shipped: file name, bytes and duration, in order.</summary>
    public static IReadOnlyList<(string Name, byte[] Data, TimeSpan Duration)> LoadClip()
    {
        var assembly = typeof(ClipSegmentSource).Assembly;
        using var listStream = assembly.GetManifestResourceStream("HlsCdn.Tester.Clip.clip.csv")
            ?? throw new InvalidOperationException("The clip's segment list is not embedded.");
        using var reader = new StreamReader(listStream);
        var clip = new List<(string, byte[], TimeSpan)>();
        while (reader.ReadLine() is { } line)
        {
            if (SegmentListEntry.TryParse(line) is not { } entry)
            {
                continue;
            }

            using var segment = assembly.GetManifestResourceStream("HlsCdn.Tester.Clip." + entry.FileName)
                ?? throw new InvalidOperationException($"Clip segment {entry.FileName} is not embedded.");
            using var copy = new MemoryStream();
            segment.CopyTo(copy);
            clip.Add((entry.FileName, copy.ToArray(), entry.Duration));
        }

        return clip.Count > 0 ? clip : throw new InvalidOperationException("The clip is empty.");
    }

    /// <summary>A clip segment as sent in pass <paramref name="pass"/>: a copy with timestamps moved by pass × <see cref="LoopLength"/>.</summary>
    public static byte[] ForPass(byte[] segment, long pass)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var copy = (byte[])segment.Clone();
        var offset = (long)Math.Round(LoopLength.TotalSeconds * TsTimestampRewriter.ClockRate, MidpointRounding.AwayFromZero) * pass;
        TsTimestampRewriter.Shift(copy, offset);
        return copy;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MediaSegment> ReadSegmentsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var clip = LoadClip();
        StartedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        long sequence = 0;
        var streamTime = TimeSpan.Zero;
        for (long pass = 0; ; pass++)
        {
            foreach (var (_, data, duration) in clip)
            {
                // A live encoder hands a segment over once it is complete: at the end of its time span.
                var end = streamTime + duration;
                var wait = end - _time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        yield break;
                    }
                }

                yield return new MediaSegment(sequence++, ForPass(data, pass), duration, end);
                streamTime = end;
            }

            // The next pass starts at the clip's nominal length (the last segment's audio overhangs it slightly).
            streamTime = LoopLength * (pass + 1);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>For diagnostics: the clip's total size and segment count.</summary>
    public static string Summary()
    {
        var clip = LoadClip();
        return string.Create(CultureInfo.InvariantCulture, $"{clip.Count} segments, {clip.Sum(c => c.Data.Length)} bytes");
    }
}
