namespace HlsCdn.Tester.Publishing;

/// <summary>One finished MPEG-TS segment, ready to be pushed as a fragment.</summary>
/// <param name="Sequence">0-based number of the segment in this run.</param>
/// <param name="Data">The whole segment.</param>
/// <param name="Duration">Its duration (end - start).</param>
/// <param name="StreamEnd">Where the segment ends on the stream timeline since the source started (for the lag report).</param>
/// <param name="ClosedAt">When the source learnt that the segment was complete (ffmpeg's segment list line), UTC; null if unknown.</param>
/// <param name="Rendition">Index of the rendition the segment belongs to (0 when publishing one stream).</param>
public sealed record MediaSegment(long Sequence, byte[] Data, TimeSpan Duration, TimeSpan StreamEnd, DateTimeOffset? ClosedAt = null, int Rendition = 0);

/// <summary>Produces live segments, each as soon as it is complete, until cancelled.</summary>
public interface ISegmentSource : IAsyncDisposable
{
    /// <summary>What the source encodes, for the console.</summary>
    string Description { get; }

    /// <summary>When the source started producing (the stream time origin), UTC.</summary>
    DateTimeOffset StartedAt { get; }

    /// <summary>Starts the source and yields segments as they complete; ends when cancelled or when the source stops.</summary>
    IAsyncEnumerable<MediaSegment> ReadSegmentsAsync(CancellationToken cancellationToken);
}
