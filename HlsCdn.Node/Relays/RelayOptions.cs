namespace HlsCdn.Node.Relays;

/// <summary>The lookup chain and relay settings, bound from <c>Node:Relay</c> (original names in brackets).</summary>
public sealed class RelayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node:Relay";

    /// <summary>Step 1: serve streams published to this node.</summary>
    public bool UseLocal { get; set; } = true;

    /// <summary>Step 2: share a relay this node already has for the stream.</summary>
    public bool ShareRelays { get; set; } = true;

    /// <summary>Step 3: look the stream up in the publish registry (when one is configured) and relay it with <c>only_source=true</c>.</summary>
    public bool UseRegistry { get; set; } = true;

    /// <summary>Step 4: relay from the upstream node [RELAY_FROM_ENABLED]. Default: on when an upstream is configured.</summary>
    public bool? UpstreamEnabled { get; set; }

    /// <summary>The upstream node's WebSocket URL [RELAY_FROM_URL].</summary>
    public string? UpstreamUrl { get; set; }

    /// <summary>The upstream as a service name resolved by service discovery (<c>services:{name}:http:0</c>), e.g. <c>gateway-eu</c>.</summary>
    public string? UpstreamService { get; set; }

    /// <summary>A relay without spectators for this long closes.</summary>
    public TimeSpan InactivityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After its upstream drops without <c>CLOSE</c>, a relay keeps re-resolving the stream this long before giving up.</summary>
    public TimeSpan FailoverGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between attempts while failing over.</summary>
    public TimeSpan FailoverRetryInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    internal bool IsUpstreamEnabled => UpstreamEnabled ?? (!string.IsNullOrWhiteSpace(UpstreamUrl) || !string.IsNullOrWhiteSpace(UpstreamService));
}
