namespace HlsCdn.Tester.Publishing;

/// <summary>The <c>publish</c> command's settings.</summary>
/// <param name="Urls">Nodes to push to, in order of preference (ws:// or wss://).</param>
/// <param name="StreamId">The stream.</param>
/// <param name="PushSecret">Signs PUSH tokens (or null).</param>
/// <param name="Token">A ready-made PUSH token (or null).</param>
/// <param name="VideoFile">A video file to loop, or null for the test pattern.</param>
/// <param name="SegmentSeconds">Segment duration.</param>
/// <param name="Duration">Stop (with CLOSE) after this long; null: until cancelled.</param>
/// <param name="UseClip">Loop the pre-encoded clip even if ffmpeg is installed.</param>
/// <param name="Renditions">Publish these renditions (one ffmpeg, aligned segments), each to <c>{StreamId}/{W}x{H}-{FPS}~{KBPS}</c>; null: one stream.</param>
public sealed record PublishSettings(
    IReadOnlyList<Uri> Urls,
    string StreamId,
    string? PushSecret,
    string? Token,
    string? VideoFile = null,
    double SegmentSeconds = 1,
    TimeSpan? Duration = null,
    bool UseClip = false,
    IReadOnlyList<Rendition>? Renditions = null)
{
    /// <summary>Frame rate of the test pattern and of the renditions (part of their stream ids).</summary>
    public const int FrameRate = 25;

    /// <summary>The stream ids pushed to: <see cref="StreamId"/>, or one per rendition.</summary>
    public IReadOnlyList<string> StreamIds =>
        Renditions is { Count: > 0 } list ? list.Select(r => r.StreamId(StreamId, FrameRate)).ToList() : [StreamId];
}
