using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Stands in for Kestrel's HTTP/1.1 <see cref="IHttpUpgradeFeature"/> so that the WebSocket the framework accepts
/// runs over a <see cref="WebSocketTransport"/>, which the node then also writes its prepared frames to. The
/// handshake itself (header checks, the 101 answer) stays ASP.NET Core's. On a plain connection whose listener offers
/// a <see cref="ConnectionHandoff"/>, the transport runs on the connection itself and the request is to end (see
/// <see cref="WebSocketTransportFeature.Handoff"/>).
/// </summary>
internal sealed class WebSocketTransportUpgradeFeature(IHttpUpgradeFeature inner, HttpContext context, WebSocketTransportFeature holder, TimeProvider time) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var stream = await inner.UpgradeAsync().ConfigureAwait(false);

        // Straight to the socket, and the hand-off, only when nothing sits between the socket and the stream (no TLS).
        var plain = !context.Request.IsHttps;
        var socket = plain && context.Features.Get<IConnectionSocketFeature>()?.Socket is { SocketType: SocketType.Stream } tcp ? tcp : null;
        if (plain && context.Features.Get<ConnectionHandoff>() is { } handoff && handoff.TryHandOff())
        {
            holder.Handoff = handoff;
            var transport = handoff.Transport;
            return holder.Transport = new WebSocketTransport(transport.Input.AsStream(), transport.Output.AsStream(), socket, handoff.Abort, time);
        }

        return holder.Transport = new WebSocketTransport(stream, stream, socket, WebSocketTransport.AbortOf(context), time);
    }
}
