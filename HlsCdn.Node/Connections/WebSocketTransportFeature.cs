namespace HlsCdn.Node.Connections;

/// <summary>A request feature holding the <see cref="WebSocketTransport"/> of the WebSocket accepted on it.</summary>
internal sealed class WebSocketTransportFeature
{
    /// <summary>The transport, once the request was upgraded (HTTP/1.1) or accepted (HTTP/2 extended CONNECT).</summary>
    public WebSocketTransport? Transport { get; set; }

    /// <summary>
    /// Set when the upgrade handed the connection off (the transport runs on the connection itself): the session is
    /// to be given to it with <see cref="ConnectionHandoff.Continue"/>, and the request ends.
    /// </summary>
    public ConnectionHandoff? Handoff { get; set; }
}
