namespace HlsCdn.Node.Streams;

/// <summary>Why a <see cref="LiveStream"/> on this node ended for its spectators (what a spectator is then sent: <c>CLOSE</c>, or <c>E:code=NODE_SHUTDOWN</c>).</summary>
public enum LiveStreamEndReason
{
    /// <summary>The source sent <c>CLOSE</c>.</summary>
    Closed,

    /// <summary>The source went away without <c>CLOSE</c> (and no failover applied).</summary>
    SourceLost,

    /// <summary>A relay had no spectators for its inactivity period.</summary>
    Inactive,

    /// <summary>The node is shutting down.</summary>
    NodeShutdown,
}
