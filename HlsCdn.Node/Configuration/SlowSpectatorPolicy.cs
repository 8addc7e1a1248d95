namespace HlsCdn.Node.Configuration;

/// <summary>What a node does when a spectator's queue is full because it cannot keep up.</summary>
public enum SlowSpectatorPolicy
{
    /// <summary>Drop the oldest queued fragment to make room for the newest (the spectator skips ahead towards live).</summary>
    DropOldest,

    /// <summary>Disconnect the spectator with <c>E:code=SLOW_SUBSCRIBER</c>; it may reconnect and start from the buffer.</summary>
    Disconnect,
}
