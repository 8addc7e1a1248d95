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

/// <summary>Options of a <see cref="StreamSubscriber"/>.</summary>
public sealed class StreamSubscriberOptions
{
    /// <summary>The node to pull from (<c>ws://</c> or <c>wss://</c>).</summary>
    public required Uri Url { get; init; }

    /// <summary>The stream identifier.</summary>
    public required string StreamId { get; init; }

    /// <summary>A ready-made <c>PULL</c> token. Set this or <see cref="PullSecret"/> (or neither, for nodes without pull authentication).</summary>
    public string? Token { get; init; }

    /// <summary>The nodes' pull secret: the subscriber signs its own HS256 token with it for every connection.</summary>
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

    /// <summary>How many attempts a reconnection may take before the subscriber gives up (null: never). Default null.</summary>
    public int? MaxReconnectAttempts { get; init; }

    /// <summary>Time allowed to open a connection and get <c>OK</c> for the <c>PULL</c>. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection on which nothing was received for this long is considered dead. Default 60 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = ProtocolLimits.IdleTimeout;

    /// <summary>The subscriber sends <c>H</c> when it has sent nothing for this long. Default 30 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = ProtocolLimits.HeartbeatInterval;

    /// <summary>Largest fragment accepted, in bytes. Default 50 MiB.</summary>
    public int MaxFragmentBytes { get; init; } = ProtocolLimits.DefaultMaxBinaryMessageBytes;

    /// <summary>Creates the WebSocket for each connection. Default: a plain <see cref="ClientWebSocket"/>.</summary>
    public Func<ClientWebSocket>? WebSocketFactory { get; init; }

    internal void Validate()
    {
        ClientOptionChecks.CheckUrl(Url, "StreamSubscriberOptions.Url");
        ClientOptionChecks.CheckCommon("StreamSubscriberOptions", StreamId, Token, PullSecret, TokenLifetime, ConnectTimeout, HeartbeatInterval);
        if (IdleTimeout <= TimeSpan.Zero || MaxFragmentBytes < 1 || MaxFragmentBytes >= Array.MaxLength)
        {
            throw new ArgumentException("StreamSubscriberOptions.IdleTimeout must be positive and MaxFragmentBytes between 1 and 2 GiB.");
        }

        if (MaxInitialFragments is < 0 || MaxInitialFragmentsOnReconnect is < 0 || MaxReconnectAttempts is < 0)
        {
            throw new ArgumentException("StreamSubscriberOptions: MaxInitialFragments, MaxInitialFragmentsOnReconnect and MaxReconnectAttempts must not be negative.");
        }

        ArgumentNullException.ThrowIfNull(Backoff);
        Backoff.Validate("StreamSubscriberOptions");
    }
}

internal static class ClientOptionChecks
{
    public static void CheckUrl(Uri? url, string name)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != "ws" && url.Scheme != "wss"))
        {
            throw new ArgumentException($"{name}: '{url}' is not an absolute ws:// or wss:// URL.");
        }
    }

    public static void CheckCommon(string owner, string streamId, string? token, string? secret, TimeSpan tokenLifetime, TimeSpan connectTimeout, TimeSpan heartbeat)
    {
        if (!StreamIds.IsValid(streamId))
        {
            throw new ArgumentException($"{owner}.StreamId must be 1 to {ProtocolLimits.MaxStreamIdLength} characters without control characters.");
        }

        if (!string.IsNullOrEmpty(token) && !string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException($"{owner}: set either Token or the secret, not both.");
        }

        // The longest request this token can appear in must fit the protocol's text limit: such a message is never sent.
        var request = Messages.Pull(streamId, token, onlySource: true, maxInitialFragments: int.MaxValue);
        if (System.Text.Encoding.UTF8.GetByteCount(request) > ProtocolLimits.MaxTextMessageBytes)
        {
            throw new ArgumentException($"{owner}: the stream id and token make a request over the protocol's {ProtocolLimits.MaxTextMessageBytes}-byte text limit.");
        }

        if (tokenLifetime <= TimeSpan.Zero || connectTimeout <= TimeSpan.Zero || heartbeat <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{owner}: TokenLifetime, ConnectTimeout and HeartbeatInterval must be positive.");
        }
    }
}
