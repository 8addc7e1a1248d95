using System.Net.WebSockets;
using HlsCdn.Protocol;

namespace HlsCdn.Client;

/// <summary>Options of a <see cref="StreamSpectator"/> (formerly <c>StreamSubscriberOptions</c>, kept as an obsolete subclass).</summary>
public class StreamSpectatorOptions
{
    /// <summary>The node to pull from (<c>ws://</c> or <c>wss://</c>).</summary>
    public required Uri Url { get; init; }

    /// <summary>The stream identifier.</summary>
    public required string StreamId { get; init; }

    /// <summary>A ready-made <c>PULL</c> token. Set this or <see cref="PullSecret"/> (or neither, for nodes without pull authentication).</summary>
    public string? Token { get; init; }

    /// <summary>The nodes' pull secret: the spectator signs its own HS256 token with it for every connection.</summary>
    public string? PullSecret { get; init; }

    /// <summary>Lifetime of the tokens signed with <see cref="PullSecret"/>. Default 1 hour.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Ask the node to serve the stream only from a local publisher (<c>only_source=true</c>), as relaying nodes do.</summary>
    public bool OnlySource { get; init; }

    /// <summary>How many buffered fragments the node sends first (null: all it has).</summary>
    public int? MaxInitialFragments { get; init; }

    /// <summary>
    /// <c>max_initial_fragments</c> to ask for when reconnecting (null: same as <see cref="MaxInitialFragments"/>).
    /// Buffered fragments already received are sent again unless this is 0.
    /// </summary>
    public int? MaxInitialFragmentsOnReconnect { get; init; }

    /// <summary>Whether to reconnect (with <see cref="Backoff"/>) when the connection drops without <c>CLOSE</c>. Default false.</summary>
    public bool Reconnect { get; init; }

    /// <summary>Delays between reconnection attempts.</summary>
    public ReconnectBackoff Backoff { get; init; } = new();

    /// <summary>How many attempts a reconnection may take before the spectator gives up (null: never). Default null.</summary>
    public int? MaxReconnectAttempts { get; init; }

    /// <summary>Time allowed to open a connection and get <c>OK</c> for the <c>PULL</c>. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection on which nothing was received for this long is considered dead. Default 60 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = ProtocolLimits.IdleTimeout;

    /// <summary>The spectator sends <c>H</c> when it has sent nothing for this long. Default 30 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = ProtocolLimits.HeartbeatInterval;

    /// <summary>Largest fragment accepted, in bytes. Default 50 MiB.</summary>
    public int MaxFragmentBytes { get; init; } = ProtocolLimits.DefaultMaxBinaryMessageBytes;

    /// <summary>Creates the WebSocket for each connection. Default: a plain <see cref="ClientWebSocket"/>.</summary>
    public Func<ClientWebSocket>? WebSocketFactory { get; init; }

    internal void Validate()
    {
        ClientOptionChecks.CheckUrl(Url, "StreamSpectatorOptions.Url");
        ClientOptionChecks.CheckCommon("StreamSpectatorOptions", StreamId, Token, PullSecret, TokenLifetime, ConnectTimeout, HeartbeatInterval);
        if (IdleTimeout <= TimeSpan.Zero || MaxFragmentBytes < 1 || MaxFragmentBytes >= Array.MaxLength)
        {
            throw new ArgumentException("StreamSpectatorOptions.IdleTimeout must be positive and MaxFragmentBytes between 1 and 2 GiB.");
        }

        if (MaxInitialFragments is < 0 || MaxInitialFragmentsOnReconnect is < 0 || MaxReconnectAttempts is < 0)
        {
            throw new ArgumentException("StreamSpectatorOptions: MaxInitialFragments, MaxInitialFragmentsOnReconnect and MaxReconnectAttempts must not be negative.");
        }

        ArgumentNullException.ThrowIfNull(Backoff);
        Backoff.Validate("StreamSpectatorOptions");
    }
}
