using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Kestrel connection middleware (before the HTTP layer) that offers each connection's <see cref="ConnectionHandoff"/>
/// to the requests on it and, when a request handed the connection off, runs the WebSocket session on the connection
/// once the HTTP layer is done with it.
/// </summary>
internal sealed class ConnectionHandoffMiddleware(ConnectionDelegate next)
{
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var handoff = Offer(connection);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Withdraw(connection, handoff);
        }

        if (handoff.TakeSession() is { } session)
        {
            await session().ConfigureAwait(false);
        }
    }

    private static ConnectionHandoff Offer(ConnectionContext connection)
    {
        HandoffHeartbeatFeature? heartbeat = null;
        if (connection.Features.Get<IConnectionHeartbeatFeature>() is { } serverHeartbeat)
        {
            heartbeat = new HandoffHeartbeatFeature(serverHeartbeat);
            connection.Features.Set<IConnectionHeartbeatFeature>(heartbeat);
        }

        var handoff = new ConnectionHandoff(connection, heartbeat);
        connection.Features.Set(handoff);
        connection.Transport = handoff;
        return handoff;
    }

    // The HTTP layer is done: the connection's own transport and heartbeat back, and nothing of the finished request
    // left among the connection's features (Kestrel's HTTP/1.1 timeout control refers to its request processor).
    private static void Withdraw(ConnectionContext connection, ConnectionHandoff handoff)
    {
        connection.Transport = handoff.Transport;
        connection.Features.Set<ConnectionHandoff>(null);
        if (connection.Features.Get<IConnectionHeartbeatFeature>() is HandoffHeartbeatFeature heartbeat)
        {
            connection.Features.Set(heartbeat.Inner);
        }

        if (handoff.IsHandedOff)
        {
            connection.Features.Set<IConnectionTimeoutFeature>(null);
        }
    }
}
