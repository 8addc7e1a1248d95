namespace HlsCdn.Node.Streams;

/// <summary>Where a stream's fragments come from on this node.</summary>
public enum StreamSourceKind
{
    /// <summary>A publisher pushing to this node.</summary>
    Local,

    /// <summary>A relay pulling the stream from another node.</summary>
    Relay,
}

/// <summary>Why a stream ended for its spectators.</summary>
public enum StreamEndReason
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

/// <summary>What feeds a <see cref="LiveStream"/>: a publisher's connection or a relay.</summary>
public interface IStreamFeed
{
    /// <summary>Local publisher or relay.</summary>
    StreamSourceKind Kind { get; }

    /// <summary>The upstream URL of a relay; null for a local publisher.</summary>
    string? Upstream { get; }

    /// <summary>Another feed took the stream over: stop feeding (a publisher is told <c>PUSH_ERROR</c>).</summary>
    void OnTakenOver();
}

/// <summary>A spectator of a <see cref="LiveStream"/>. Both calls must return at once: they are made under the stream's lock.</summary>
public interface IStreamSubscriber
{
    /// <summary>Queues a fragment for sending; never waits (a full queue applies the slow-subscriber policy).</summary>
    void Enqueue(Fragment fragment);

    /// <summary>The stream ended: send what is queued, then <c>CLOSE</c> (or an error for <see cref="StreamEndReason.NodeShutdown"/>).</summary>
    void OnStreamEnded(StreamEndReason reason);

    /// <summary>Fragments sent to this spectator so far: its own count, which the stream sums when asked for stats.</summary>
    long FragmentsSent { get; }

    /// <summary>Fragment bytes sent to this spectator so far.</summary>
    long BytesSent { get; }
}
