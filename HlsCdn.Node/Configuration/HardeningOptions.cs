using System.Net;

namespace HlsCdn.Node.Configuration;

/// <summary>The TLS listener, bound from <c>Node:Tls</c> (original names TLS_*).</summary>
public sealed class NodeTlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node:Tls";

    /// <summary>Listen with HTTPS (<c>wss://</c>) [TLS_ENABLED].</summary>
    public bool Enabled { get; set; }

    /// <summary>The HTTPS port [TLS_PORT]. Default 8443 (the original used 443; a non-root process cannot bind it).</summary>
    public int Port { get; set; } = 8443;

    /// <summary>Address to bind; empty means every address [TLS_BIND_ADDRESS].</summary>
    public string? BindAddress { get; set; }

    /// <summary>PEM certificate (chain) file [TLS_CERTIFICATE].</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file [TLS_PRIVATE_KEY].</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>How often the files are checked for a new certificate, in seconds [TLS_CHECK_RELOAD_SECONDS].</summary>
    public int CheckReloadSeconds { get; set; } = 60;
}

/// <summary>The plain HTTP listener, bound from <c>Node:Http</c> (original names HTTP_*). Port and address are applied by the host builder.</summary>
public sealed class NodeHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node:Http";

    /// <summary>Listen with plain HTTP (<c>ws://</c>) [HTTP_ENABLED]. False leaves only the TLS listener.</summary>
    public bool Enabled { get; set; } = true;
}

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

    internal IReadOnlyList<IPNetwork> ParsedAllowList => HardeningParsing.Networks(AllowList);
}

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

/// <summary>Parsing of the comma-separated address lists (validated at start-up, so parsing here cannot fail afterwards).</summary>
internal static class HardeningParsing
{
    public static IEnumerable<string> Split(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An IP (as a /32 or /128) or a CIDR range.</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address))
        {
            address = Normalize(address);
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    public static IReadOnlyList<IPNetwork> Networks(string? list) =>
        [.. Split(list).Select(s => TryParseNetwork(s, out var n) ? n : throw new FormatException($"'{s}' is not an IP address or CIDR range."))];

    /// <summary>IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, as a dual-stack socket reports them) as plain IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>An origin as browsers send it: <c>scheme://host[:port]</c>, compared case-insensitively, without a trailing slash.</summary>
    public static string NormalizeOrigin(string origin) => origin.Trim().TrimEnd('/').ToLowerInvariant();
}
