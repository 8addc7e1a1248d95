using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Tester.Spectating;

/// <summary>
/// A WebSocket relay on a loopback port (the spectate page's link shaper, and the browser tests' relays): per browser
/// connection it opens a connection to the node (same path and query), passes the browser's messages straight through,
/// and forwards the node's with the relay's own policy until either side ends. Messages are limited to 32 MiB.
/// </summary>
public static class WebSocketRelay
{
    private const int MaxMessageBytes = 32 * 1024 * 1024;

    /// <summary>Starts the relay; <paramref name="toBrowser"/> forwards from the node (first) to the browser (second).</summary>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(Uri upstream, Func<WebSocket, WebSocket, CancellationToken, Task> toBrowser)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var browser = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var node = new ClientWebSocket();
            var target = new UriBuilder(upstream) { Path = context.Request.Path.Value ?? "/", Query = context.Request.QueryString.Value ?? string.Empty }.Uri;
            await node.ConnectAsync(target, context.RequestAborted).ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);

            async Task FromBrowserAsync()
            {
                while (await ReceiveAsync(browser, stop.Token).ConfigureAwait(false) is { } message)
                {
                    await node.SendAsync(message.Data, message.Type, true, stop.Token).ConfigureAwait(false);
                }
            }

            try
            {
                await Task.WhenAny(toBrowser(node, browser, stop.Token), FromBrowserAsync()).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new UriBuilder(address) { Scheme = "ws", Path = "/" }.Uri);
    }

    /// <summary>Receives one whole message; null when the socket closed or failed (or the message is too large).</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Data)?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
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

}
