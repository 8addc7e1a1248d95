namespace HlsCdn.Tester.Publishing;

/// <summary>A segment was pushed: which, and how long after its end on the capture clock.</summary>
public sealed class SegmentPushedEventArgs(MediaSegment segment, TimeSpan lag) : EventArgs
{
    /// <summary>The segment.</summary>
    public MediaSegment Segment { get; } = segment;

    /// <summary>Time from the segment's end on the burned-in capture clock to the completed push.</summary>
    public TimeSpan Lag { get; } = lag;
}
