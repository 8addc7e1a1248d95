using Microsoft.AspNetCore.Builder;

namespace HlsCdn.Tester.Spectating;

/// <summary>
/// A WebSocket relay on a loopback port between the browser and a node that shapes the bandwidth towards the browser:
/// every message from the node is forwarded in chunks of <see cref="ChunkBytes"/>, each taken from one
/// <see cref="BandwidthLimit"/> shared by all the relay's connections (one link, whatever the number of pulls). A
/// message thus arrives as slowly as over a link of that rate, and what cannot pass waits (TCP back-pressure to the
/// node). Messages from the browser pass straight through.
/// </summary>
public sealed class ShapingRelay : IAsyncDisposable
{
    /// <summary>Size of the pieces a message is forwarded in.</summary>
    public const int ChunkBytes = 4 * 1024;

    private readonly WebApplication _app;

    private ShapingRelay(WebApplication app, Uri url, BandwidthLimit limit)
    {
        _app = app;
        WebSocketUrl = url;
        Limit = limit;
    }

    /// <summary>Where the browser connects (ws://127.0.0.1:port/).</summary>
    public Uri WebSocketUrl { get; }

    /// <summary>The link's limit; change <see cref="BandwidthLimit.BitsPerSecond"/> while running.</summary>
    public BandwidthLimit Limit { get; }

    public static async Task<ShapingRelay> StartAsync(Uri upstream)
    {
        var limit = new BandwidthLimit();
        var (app, url) = await WebSocketRelay.StartAsync(upstream, async (node, browser, cancellationToken) =>
        {
            while (await WebSocketRelay.ReceiveAsync(node, cancellationToken).ConfigureAwait(false) is { } message)
            {
                var data = message.Data;
                var offset = 0;
                do
                {
                    var count = Math.Min(ChunkBytes, data.Length - offset);
                    await limit.TakeAsync(count, cancellationToken).ConfigureAwait(false);
                    await browser.SendAsync(data.AsMemory(offset, count), message.Type, offset + count == data.Length, cancellationToken).ConfigureAwait(false);
                    offset += count;
                }
                while (offset < data.Length);
            }
        }).ConfigureAwait(false);
        return new ShapingRelay(app, url, limit);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
