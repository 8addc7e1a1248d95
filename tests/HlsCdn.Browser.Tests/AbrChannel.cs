using HlsCdn.Node.Tests;
using HlsCdn.Tester.Publishing;
using HlsCdn.Tester.Spectating;

namespace HlsCdn.Browser.Tests;

/// <summary>
/// What an ABR test plays: a publish node, the tester publishing the renditions to it, a bandwidth-shaping relay in
/// front of the node, and the spectate page of the channel through the relay. Disposing stops them all (ffmpeg too).
/// </summary>
public sealed class AbrChannel : IAsyncDisposable
{
    private readonly TestNode _node;
    private readonly CancellationTokenSource _stopPublishing;
    private readonly Task<int> _publishing;
    private readonly SpectateServer _spectate;
    private readonly TestLogWriter _output;

    private AbrChannel(TestNode node, ShapingRelay relay, CancellationTokenSource stopPublishing, Task<int> publishing, SpectateServer spectate, TestLogWriter output)
    {
        _node = node;
        Relay = relay;
        _stopPublishing = stopPublishing;
        _publishing = publishing;
        _spectate = spectate;
        _output = output;
    }

    public ShapingRelay Relay { get; }

    public Uri PageUrl => _spectate.PageUrl;

    public static async Task<AbrChannel> StartAsync(string stream, IReadOnlyList<Rendition> renditions, CancellationToken cancellationToken)
    {
        var node = await BrowserNode.StartAsync();
        var relay = await ShapingRelay.StartAsync(node.WebSocketUrl);
        var output = new TestLogWriter("publish");
        var runner = new PublishRunner(output, output);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var settings = new PublishSettings([node.WebSocketUrl], stream, BrowserNode.PushSecret, null, Renditions: renditions);
        var publishing = runner.RunAsync(settings, stop.Token);
        var spectate = await SpectateServer.StartAsync(
            new SpectateSettings(relay.WebSocketUrl, stream, BrowserNode.PullSecret, null) { StreamIds = settings.StreamIds },
            cancellationToken);
        return new AbrChannel(node, relay, stop, publishing, spectate, output);
    }

    public async ValueTask DisposeAsync()
    {
        await _spectate.DisposeAsync();
        await _stopPublishing.CancelAsync();
        await _publishing.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await Relay.DisposeAsync();
        await _node.DisposeAsync();
        _stopPublishing.Dispose();
        _output.Dispose();
    }
}
