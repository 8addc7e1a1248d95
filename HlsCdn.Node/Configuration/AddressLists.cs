using System.Net;

namespace HlsCdn.Node.Configuration;

/// <summary>
/// Parsing of the comma-separated address and origin lists of the settings (validated at start-up, so parsing them
/// afterwards cannot fail).
/// </summary>
internal static class AddressLists
{
    /// <summary>The entries of a comma-separated list, trimmed, empty ones skipped.</summary>
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

    /// <summary>Every entry of <paramref name="list"/> as a network (see <see cref="TryParseNetwork"/>).</summary>
    public static IReadOnlyList<IPNetwork> Networks(string? list) =>
        [.. Split(list).Select(s => TryParseNetwork(s, out var n) ? n : throw new FormatException($"'{s}' is not an IP address or CIDR range."))];

    /// <summary>IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, as a dual-stack socket reports them) as plain IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>An origin as browsers send it: <c>scheme://host[:port]</c>, compared case-insensitively, without a trailing slash.</summary>
    public static string NormalizeOrigin(string origin) => origin.Trim().TrimEnd('/').ToLowerInvariant();
}
