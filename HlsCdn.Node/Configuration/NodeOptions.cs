using System.ComponentModel;
using HlsCdn.Protocol;

namespace HlsCdn.Node.Configuration;

/// <summary>Settings of a node, bound from the <c>Node</c> configuration section (original environment variable names in brackets).</summary>
public sealed class NodeOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Node";

    /// <summary>The node's role; set by the host (PublishNode or EdgeNode).</summary>
    public NodeRole Role { get; set; } = NodeRole.Publish;

    /// <summary>Path prefix on which WebSocket upgrades are accepted [WEBSOCKET_PREFIX].</summary>
    public string WebSocketPath { get; set; } = "/";

    /// <summary>Whether publishers may PUSH to this node [PUSH_ALLOWED]. Always false on edge nodes.</summary>
    public bool PushAllowed { get; set; } = true;

    /// <summary>Secret validating publisher tokens; empty disables the check [PUSH_SECRET].</summary>
    public string? PushSecret { get; set; }

    /// <summary>Secret validating spectator tokens and signing relay tokens; empty disables the check [PULL_SECRET].</summary>
    public string? PullSecret { get; set; }

    /// <summary>Leeway when checking token expiry (default none, as the original).</summary>
    public TimeSpan TokenClockSkew { get; set; } = TimeSpan.Zero;

    /// <summary>Largest accepted fragment in bytes [MAX_BINARY_MESSAGE_SIZE].</summary>
    public int MaxBinaryMessageSize { get; set; } = ProtocolLimits.DefaultMaxBinaryMessageBytes;

    /// <summary>How many recent fragments each stream keeps for joining spectators [FRAGMENT_BUFFER_MAX_LENGTH].</summary>
    public int FragmentBufferMaxLength { get; set; } = ProtocolLimits.DefaultFragmentBufferMaxLength;

    /// <summary>Whether the total size of all stream buffers is capped [BUFFER_MEMORY_LIMITER_ENABLED].</summary>
    public bool BufferMemoryLimiterEnabled { get; set; } = true;

    /// <summary>The cap on all stream buffers together, in MiB [BUFFER_MEMORY_LIMIT_MB].</summary>
    public int BufferMemoryLimitMB { get; set; } = 1024;

    /// <summary>The former name of <see cref="SpectatorQueueLength"/>: the key <c>Node:SubscriberQueueLength</c> is still read (the new key wins).</summary>
    [Obsolete("Renamed to SpectatorQueueLength; kept so that the configuration key Node:SubscriberQueueLength still binds.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public int SubscriberQueueLength
    {
        get => SpectatorQueueLength;
        set => SpectatorQueueLength = value;
    }

    /// <summary>The former name of <see cref="SlowSpectatorPolicy"/>: the key <c>Node:SlowSubscriberPolicy</c> is still read (the new key wins).</summary>
    [Obsolete("Renamed to SlowSpectatorPolicy; kept so that the configuration key Node:SlowSubscriberPolicy still binds.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public SlowSpectatorPolicy SlowSubscriberPolicy
    {
        get => SlowSpectatorPolicy;
        set => SlowSpectatorPolicy = value;
    }

    // The two former names above are declared before the new ones: the binder sets properties in declaration order,
    // so when both keys are given the new one is applied last and wins.

    /// <summary>How many fragments may wait for one spectator before the slow-spectator policy applies (formerly <c>Node:SubscriberQueueLength</c>).</summary>
    public int SpectatorQueueLength { get; set; } = 16;

    /// <summary>What happens to a spectator whose queue is full (formerly <c>Node:SlowSubscriberPolicy</c>).</summary>
    public SlowSpectatorPolicy SlowSpectatorPolicy { get; set; } = SlowSpectatorPolicy.DropOldest;

    /// <summary>A single send to a peer that takes longer than this aborts the connection (a stalled peer).</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Send <c>H</c> after this long without sending anything.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = ProtocolLimits.HeartbeatInterval;

    /// <summary>Close a connection that has sent nothing for this long.</summary>
    public TimeSpan IdleTimeout { get; set; } = ProtocolLimits.IdleTimeout;

    /// <summary>A connection must send its first message (PUSH/PULL) within this time.</summary>
    public TimeSpan FirstMessageTimeout { get; set; } = ProtocolLimits.FirstMessageTimeout;

    /// <summary>This node's WebSocket URL as other nodes reach it, written to the registry [EXTERNAL_WEBSOCKET_URL]. Default: derived from the bound address.</summary>
    public string? ExternalUrl { get; set; }

    /// <summary>Default lifetime of tokens this node signs for itself (relays).</summary>
    public TimeSpan RelayTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Buffer limit in bytes, derived.</summary>
    internal long BufferMemoryLimitBytes => BufferMemoryLimiterEnabled ? (long)BufferMemoryLimitMB * 1024 * 1024 : long.MaxValue;
}
