using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Stands in for Kestrel's HTTP/2 <see cref="IHttpExtendedConnectFeature"/> (WebSockets over HTTP/2, RFC 8441): the
/// accepted WebSocket runs over a <see cref="WebSocketTransport"/> on the request's stream (never the socket, which
/// other requests share).
/// </summary>
internal sealed class WebSocketTransportConnectFeature(IHttpExtendedConnectFeature inner, HttpContext context, WebSocketTransportFeature holder, TimeProvider time) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync()
    {
        var stream = await inner.AcceptAsync().ConfigureAwait(false);
        return holder.Transport = new WebSocketTransport(stream, stream, socket: null, WebSocketTransport.AbortOf(context), time);
    }
}
