namespace HlsCdn.Node.Shutdown;

/// <summary>Whether the node is shutting down (new WebSocket sessions are then refused with 503).</summary>
public sealed class NodeLifecycle
{
    private volatile bool _stopping;

    /// <summary>Set once shutdown has begun; never cleared.</summary>
    public bool IsStopping => _stopping;

    internal void BeginStopping() => _stopping = true;
}
