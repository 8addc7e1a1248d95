namespace HlsCdn.Node.Connections;

/// <summary>A request feature holding the <see cref="WebSocketTransport"/> of the WebSocket accepted on it.</summary>
internal sealed class WebSocketTransportFeature
{
    /// <summary>The transport, once the request was upgraded (HTTP/1.1) or accepted (HTTP/2 extended CONNECT).</summary>
    public WebSocketTransport? Transport { get; set; }
}
