using System.Net;
using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.RateLimiting;

/// <summary>Per-client-IP limits, bound from <c>Node:RateLimit</c> (original names RATE_LIMIT_*). Zero means no limit, as in the original.</summary>
public sealed class NodeRateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node:RateLimit";

    /// <summary>Apply the limits [RATE_LIMIT_ENABLED].</summary>
    public bool Enabled { get; set; }

    /// <summary>Concurrent WebSocket sessions per client IP; 0 = unlimited [RATE_LIMIT_CONNECTIONS].</summary>
    public int ConnectionsPerIp { get; set; }

    /// <summary>Sustained HTTP requests (upgrades included) per second per client IP; 0 = unlimited [RATE_LIMIT_REQ_PER_SEC].</summary>
    public int RequestsPerSecond { get; set; }

    /// <summary>Requests a client may make at once beyond the steady rate (token bucket size = max(burst, rate)) [RATE_LIMIT_REQ_BURST].</summary>
    public int RequestBurst { get; set; }

    /// <summary>Comma-separated IPs and CIDR ranges that are never limited [RATE_LIMIT_WHITELIST].</summary>
    public string? AllowList { get; set; }

    /// <summary>Whether any limit applies at all (otherwise the rate limiter is not in the pipeline).</summary>
    internal bool IsActive => Enabled && (ConnectionsPerIp > 0 || RequestsPerSecond > 0);

    internal IReadOnlyList<IPNetwork> ParsedAllowList => AddressLists.Networks(AllowList);
}
