using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HlsCdn.Node.Connections;

/// <summary>Adds the connection hand-off to a Kestrel listener.</summary>
internal static class ConnectionHandoffListenOptionsExtensions
{
    /// <summary>
    /// Lets WebSocket upgrades on this listener hand their connection to the node's session (see
    /// <see cref="ConnectionHandoff"/>); requests that do not ask for it are served as before.
    /// </summary>
    public static ListenOptions UseConnectionHandoff(this ListenOptions listen)
    {
        listen.Use(next => new ConnectionHandoffMiddleware(next).OnConnectionAsync);
        return listen;
    }
}
