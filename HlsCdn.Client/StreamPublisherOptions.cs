using System.Net.WebSockets;
using HlsCdn.Protocol;

namespace HlsCdn.Client;

/// <summary>Options of a <see cref="StreamPublisher"/>.</summary>
public sealed class StreamPublisherOptions
{
    /// <summary>
    /// The nodes to publish to (<c>ws://</c> or <c>wss://</c>), in order of preference. The publisher connects to the first
    /// that accepts the push and fails over to the next ones when a connection fails or drops.
    /// </summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    /// <summary>The stream identifier (see <see cref="StreamIds"/>).</summary>
    public required string StreamId { get; init; }

    /// <summary>A ready-made <c>PUSH</c> token. Set this or <see cref="PushSecret"/> (or neither, for nodes without push authentication).</summary>
    public string? Token { get; init; }

    /// <summary>The nodes' push secret: the publisher signs its own HS256 token with it for every connection.</summary>
    public string? PushSecret { get; init; }

    /// <summary>Lifetime of the tokens signed with <see cref="PushSecret"/>. Default 1 hour.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Delays between reconnection attempts (applied after every URL has been tried once).</summary>
    public ReconnectBackoff Backoff { get; init; } = new();

    /// <summary>How many rounds over all URLs a reconnection may take before the publisher gives up (null: never). Default null.</summary>
    public int? MaxReconnectAttempts { get; init; }

    /// <summary>Time allowed to open a connection and get <c>OK</c> for the <c>PUSH</c>. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The publisher sends <c>H</c> when it has sent nothing for this long. Default 30 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = ProtocolLimits.HeartbeatInterval;

    /// <summary>
    /// When set, a connection on which nothing was received for this long is considered dead and replaced.
    /// Default null (off): nodes are not required to send heartbeats to publishers.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>How many connections one fragment may be tried on before <see cref="StreamPublisher.SendFragmentAsync"/> fails. Default 3.</summary>
    public int MaxSendAttempts { get; init; } = 3;

    /// <summary>Creates the WebSocket for each connection (to set headers, proxies, certificates...). Default: a plain <see cref="ClientWebSocket"/>.</summary>
    public Func<ClientWebSocket>? WebSocketFactory { get; init; }

    internal void Validate()
    {
        if (Urls is null || Urls.Count == 0)
        {
            throw new ArgumentException("StreamPublisherOptions.Urls must contain at least one node URL.");
        }

        foreach (var url in Urls)
        {
            ClientOptionChecks.CheckUrl(url, "StreamPublisherOptions.Urls");
        }

        ClientOptionChecks.CheckCommon("StreamPublisherOptions", StreamId, Token, PushSecret, TokenLifetime, ConnectTimeout, HeartbeatInterval);
        if (IdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            throw new ArgumentException("StreamPublisherOptions.IdleTimeout must be positive when set.");
        }

        if (MaxReconnectAttempts is < 0 || MaxSendAttempts < 1)
        {
            throw new ArgumentException("StreamPublisherOptions.MaxReconnectAttempts must be >= 0 and MaxSendAttempts >= 1.");
        }

        ArgumentNullException.ThrowIfNull(Backoff);
        Backoff.Validate("StreamPublisherOptions");
    }
}
