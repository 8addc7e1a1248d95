using HlsCdn.Node.Tests;
using HlsCdn.Tester.Publishing;
using HlsCdn.Tester.Spectating;

namespace HlsCdn.Browser.Tests;

/// <summary>
/// What an ABR test plays: a publish node, the tester publishing the renditions to it, and the spectate page of the
/// channel with its link shaped (<c>spectate --shape-link</c>: the page's Link menu limits the bandwidth towards the
/// browser). Disposing stops them all (ffmpeg too).
/// </summary>
public sealed class AbrChannel : IAsyncDisposable
{
    private readonly TestNode _node;
    private readonly CancellationTokenSource _stopPublishing;
    private readonly Task<int> _publishing;
    private readonly SpectateServer _spectate;
    private readonly TestLogWriter _output;

    private AbrChannel(TestNode node, CancellationTokenSource stopPublishing, Task<int> publishing, SpectateServer spectate, TestLogWriter output, double segmentSeconds)
    {
        SegmentSeconds = segmentSeconds;
        _node = node;
        _stopPublishing = stopPublishing;
        _publishing = publishing;
        _spectate = spectate;
        _output = output;
    }

    public Uri PageUrl => _spectate.PageUrl;

    /// <summary>The duration of the published segments, seconds.</summary>
    public double SegmentSeconds { get; }

    public static async Task<AbrChannel> StartAsync(string stream, IReadOnlyList<Rendition> renditions, CancellationToken cancellationToken)
    {
        var node = await BrowserNode.StartAsync();
        var output = new TestLogWriter("publish");
        var runner = new PublishRunner(output, output);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var settings = new PublishSettings([node.WebSocketUrl], stream, BrowserNode.PushSecret, null, Renditions: renditions);
        var publishing = runner.RunAsync(settings, stop.Token);
        var spectate = await SpectateServer.StartAsync(
            new SpectateSettings(node.WebSocketUrl, stream, BrowserNode.PullSecret, null) { StreamIds = settings.StreamIds, ShapeLink = true },
            cancellationToken);
        return new AbrChannel(node, stop, publishing, spectate, output, settings.SegmentSeconds);
    }

    public async ValueTask DisposeAsync()
    {
        await _spectate.DisposeAsync();
        await _stopPublishing.CancelAsync();
        await _publishing.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await _node.DisposeAsync();
        _stopPublishing.Dispose();
        _output.Dispose();
    }
}
