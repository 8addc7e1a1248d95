using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Browser.Tests;

/// <summary>
/// A WebSocket relay on a loopback port between the browser and a node that holds back every message from the node by
/// a random delay in [0, <c>maxDelay</c>], in order (a message never overtakes the one before it): network jitter on
/// the fragment delivery, for the player's margin to adapt to. Messages from the browser pass straight through.
/// </summary>
public sealed class DelayingRelay : IAsyncDisposable
{
    private const int MaxMessageBytes = 32 * 1024 * 1024;
    private readonly WebApplication _app;

    private readonly int[] _delayed;

    private DelayingRelay(WebApplication app, Uri url, int[] delayed)
    {
        _app = app;
        WebSocketUrl = url;
        _delayed = delayed;
    }

    /// <summary>Where the browser connects (ws://127.0.0.1:port/).</summary>
    public Uri WebSocketUrl { get; }

    /// <summary>Fragments (binary messages) delayed so far.</summary>
    public int FragmentsDelayed => Volatile.Read(ref _delayed[0]);

    public static async Task<DelayingRelay> StartAsync(Uri upstream, TimeSpan maxDelay, int seed = 13)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        var random = new Random(seed);
        var gate = new Lock();
        var delayed = new int[1];
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
            var queue = Channel.CreateUnbounded<(DateTime DueUtc, WebSocketMessageType Type, byte[] Data)>();

            async Task FromNodeAsync()
            {
                var due = DateTime.UtcNow;
                while (await ReceiveAsync(node, stop.Token) is { } message)
                {
                    TimeSpan delay;
                    lock (gate)
                    {
                        delay = maxDelay * random.NextDouble();
                    }

                    // In order: never before the previous message.
                    var now = DateTime.UtcNow;
                    due = now + delay > due ? now + delay : due;
                    if (message.Type == WebSocketMessageType.Binary)
                    {
                        Interlocked.Increment(ref delayed[0]);
                    }

                    queue.Writer.TryWrite((due, message.Type, message.Data));
                }

                queue.Writer.TryComplete();
            }

            async Task ToBrowserAsync()
            {
                await foreach (var (dueUtc, type, data) in queue.Reader.ReadAllAsync(stop.Token))
                {
                    var wait = dueUtc - DateTime.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, stop.Token);
                    }

                    await browser.SendAsync(data, type, true, stop.Token);
                }
            }

            async Task FromBrowserAsync()
            {
                while (await ReceiveAsync(browser, stop.Token) is { } message)
                {
                    await node.SendAsync(message.Data, message.Type, true, stop.Token);
                }
            }

            try
            {
                await Task.WhenAny(FromNodeAsync(), ToBrowserAsync(), FromBrowserAsync());
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
        return new DelayingRelay(app, new UriBuilder(address) { Scheme = "ws", Path = "/" }.Uri, delayed);
    }

    /// <summary>Receives one whole message; null when the socket closed or failed (or the message is too large).</summary>
    internal static async Task<(WebSocketMessageType Type, byte[] Data)?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close || message.Length + result.Count > MaxMessageBytes)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
