using Microsoft.AspNetCore.Connections.Features;

namespace HlsCdn.Node.Connections;

/// <summary>
/// The connection's heartbeat as Kestrel's HTTP/1.1 layer sees it until the connection is handed off (see
/// <see cref="ConnectionHandoff"/>): its handler (request timeouts) ticks with the server's heartbeat; afterwards it no
/// longer does, and it is let go, so the finished request's objects do not live as long as the connection.
/// </summary>
internal sealed class HandoffHeartbeatFeature(IConnectionHeartbeatFeature inner) : IConnectionHeartbeatFeature
{
    private readonly Lock _gate = new();
    private List<(Action<object> Action, object State)>? _handlers = [];
    private bool _registered;

    /// <summary>The server's own heartbeat feature of the connection.</summary>
    public IConnectionHeartbeatFeature Inner => inner;

    public void OnHeartbeat(Action<object> action, object state)
    {
        lock (_gate)
        {
            if (_handlers is null)
            {
                return;
            }

            _handlers.Add((action, state));
            if (!_registered)
            {
                _registered = true;
                inner.OnHeartbeat(static s => ((HandoffHeartbeatFeature)s).Beat(), this);
            }
        }
    }

    /// <summary>Stops ticking the HTTP side's handlers and lets them go.</summary>
    public void HandOff()
    {
        lock (_gate)
        {
            _handlers = null;
        }
    }

    private void Beat()
    {
        lock (_gate)
        {
            if (_handlers is null)
            {
                return;
            }

            foreach (var (action, state) in _handlers)
            {
                action(state);
            }
        }
    }
}
