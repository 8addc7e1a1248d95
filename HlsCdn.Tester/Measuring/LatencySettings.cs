namespace HlsCdn.Tester.Measuring;

/// <summary>The <c>measure latency</c> command's settings.</summary>
/// <param name="NodeUrl">The node to pull from (ws:// or wss://).</param>
/// <param name="StreamId">The stream (the tester's test pattern, which carries the picture clock).</param>
/// <param name="PullSecret">Signs the page's PULL token (or null).</param>
/// <param name="Token">A ready-made PULL token (or null).</param>
/// <param name="Duration">How long to sample displayed frames once playback has started.</param>
/// <param name="ChromiumPath">The Chromium executable Playwright drives (never downloaded).</param>
/// <param name="StartTimeout">How long to wait for the first picture.</param>
public sealed record LatencySettings(
    Uri NodeUrl,
    string StreamId,
    string? PullSecret,
    string? Token,
    TimeSpan Duration,
    string ChromiumPath = LatencySettings.DefaultChromiumPath,
    TimeSpan? StartTimeout = null)
{
    /// <summary>Debian's <c>chromium</c> package.</summary>
    public const string DefaultChromiumPath = "/usr/bin/chromium";
}
