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
public sealed record PublishSettings(
    IReadOnlyList<Uri> Urls,
    string StreamId,
    string? PushSecret,
    string? Token,
    string? VideoFile = null,
    double SegmentSeconds = 1,
    TimeSpan? Duration = null,
    bool UseClip = false);
