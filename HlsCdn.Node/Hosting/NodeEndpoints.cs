using System.Diagnostics;
using System.Net.WebSockets;
using HlsCdn.Node.Admission;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Connections;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.ForwardedHeaders;
using HlsCdn.Node.RateLimiting;
using HlsCdn.Node.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Hosting;

/// <summary>Maps the node's WebSocket endpoint, the plain-HTTP banner and the JSON stats endpoints.</summary>
public static class NodeEndpoints
{
    /// <summary>The answer to a non-upgrade <c>GET /</c>, as the original gives it.</summary>
    public const string Banner = "OK - HLS Websocket CDN";

    /// <summary>Maps <c>Node:WebSocketPath</c> (WebSocket upgrades), <c>GET /</c>, <c>/api/node</c> and <c>/api/streams</c>.</summary>
    public static WebApplication MapHlsCdnNode(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
        app.UseMiddleware<WebSocketTransportMiddleware>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.UseNodeForwardedHeaders();
        app.UseNodeAdmission();
        app.UseNodeRateLimiting();
        var prefix = options.WebSocketPath.TrimEnd('/');

        // A plain request delegate over the node's singletons, taken from the root provider at the first upgrade: no
        // request-scoped service provider and no parameter binding per upgrade (docs/performance.md, eleventh session).
        var services = app.Services;
        NodeProtocolHandler? handler = null;
        ILogger? logger = null;
        RequestDelegate session = context => HandleAsync(
            context,
            handler ??= services.GetRequiredService<NodeProtocolHandler>(),
            logger ??= services.GetRequiredService<ILogger<NodeProtocolHandler>>());
        app.Map(prefix + "/{**rest}", session).WithDisplayName("HlsCdn WebSocket");
        if (prefix.Length > 0)
        {
            app.MapGet("/", () => Results.Text(Banner));
        }

        app.MapGet("/api/node", (NodeStatus status) => Results.Json(status.Describe()));
        app.MapGet("/api/streams", (StreamDirectory streams) => Results.Json(streams.Streams.Select(s => s.GetStats()).OrderBy(s => s.StreamId, StringComparer.Ordinal)));
        return app;
    }

    private static async Task HandleAsync(HttpContext context, NodeProtocolHandler handler, ILogger logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/")
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(Banner).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Expected a WebSocket upgrade.").ConfigureAwait(false);
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false }).ConfigureAwait(false);
        var accepted = context.Features.Get<WebSocketTransportFeature>();
        if (accepted?.Transport is not { } transport)
        {
            socket.Dispose();
            throw new InvalidOperationException("The WebSocket was accepted without the node's transport (WebSocketTransportMiddleware must run before UseWebSockets).");
        }

        var remoteAddress = context.Connection.RemoteIpAddress?.ToString();
        var parent = Activity.Current?.Context ?? default;
        if (accepted.Handoff is { } handoff)
        {
            // The request ends here and the session runs on the connection once Kestrel is done with the request. It
            // gets a WebSocket of its own on the same transport: the framework's one stays with the request (its stream
            // refers to the request's context, which must not outlive the request). Nothing was read or written with it.
            var own = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
            handoff.Continue(() => RunSessionAsync(handler, logger, own, transport, remoteAddress, parent, handoff.ConnectionClosed));
            return;
        }

        await RunSessionAsync(handler, logger, socket, transport, remoteAddress, parent, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task RunSessionAsync(NodeProtocolHandler handler, ILogger logger, WebSocket socket, WebSocketTransport transport, string? remoteAddress, ActivityContext parent, CancellationToken aborted)
    {
        using (socket)
        {
            try
            {
                await handler.RunAsync(socket, transport, remoteAddress, parent, aborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer went away (or shutdown dropped the session) while the handshake was still sending: not an error
                // of the node, and a hostile peer must not be able to fill the log with error-level entries.
                Log.HandshakeAborted(logger, ex.Message);
            }
        }
    }
}
