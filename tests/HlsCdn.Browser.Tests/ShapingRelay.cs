using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Browser.Tests;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        var limit = new BandwidthLimit();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var browser = await context.WebSockets.AcceptWebSocketAsync();
            using var node = new ClientWebSocket();
            var target = new UriBuilder(upstream) { Path = context.Request.Path.Value ?? "/", Query = context.Request.QueryString.Value ?? string.Empty }.Uri;
            await node.ConnectAsync(target, context.RequestAborted);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);

            async Task ToBrowserAsync()
            {
                while (await DelayingRelay.ReceiveAsync(node, stop.Token) is { } message)
                {
                    var data = message.Data;
                    var offset = 0;
                    do
                    {
                        var count = Math.Min(ChunkBytes, data.Length - offset);
                        await limit.TakeAsync(count, stop.Token);
                        await browser.SendAsync(data.AsMemory(offset, count), message.Type, offset + count == data.Length, stop.Token);
                        offset += count;
                    }
                    while (offset < data.Length);
                }
            }

            async Task FromBrowserAsync()
            {
                while (await DelayingRelay.ReceiveAsync(browser, stop.Token) is { } message)
                {
                    await node.SendAsync(message.Data, message.Type, true, stop.Token);
                }
            }

            try
            {
                await Task.WhenAny(ToBrowserAsync(), FromBrowserAsync());
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
            finally
            {
                await stop.CancelAsync();
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ShapingRelay(app, new UriBuilder(address) { Scheme = "ws", Path = "/" }.Uri, limit);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
