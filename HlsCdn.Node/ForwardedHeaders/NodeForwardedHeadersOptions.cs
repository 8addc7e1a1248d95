namespace HlsCdn.Node.ForwardedHeaders;

/// <summary>Which proxies may set <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c>, bound from <c>Node:ForwardedHeaders</c>. None by default: the headers are ignored.</summary>
public sealed class NodeForwardedHeadersOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node:ForwardedHeaders";

    /// <summary>Comma-separated proxy IP addresses.</summary>
    public string? KnownProxies { get; set; }

    /// <summary>Comma-separated proxy networks in CIDR notation.</summary>
    public string? KnownNetworks { get; set; }

    internal bool IsConfigured => !string.IsNullOrWhiteSpace(KnownProxies) || !string.IsNullOrWhiteSpace(KnownNetworks);
}
