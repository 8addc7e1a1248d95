using System.Net;
using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.ForwardedHeaders;

/// <summary>Checks <see cref="NodeForwardedHeadersOptions"/> at start-up: proxies are IP addresses, networks CIDR ranges.</summary>
internal sealed class NodeForwardedHeadersOptionsValidator : OptionsValidator<NodeForwardedHeadersOptions>
{
    protected override void Check(NodeForwardedHeadersOptions options, List<string> failures)
    {
        foreach (var proxy in AddressLists.Split(options.KnownProxies))
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                failures.Add($"Node:ForwardedHeaders:KnownProxies entries must be IP addresses, got '{proxy}'.");
            }
        }

        foreach (var network in AddressLists.Split(options.KnownNetworks))
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                failures.Add($"Node:ForwardedHeaders:KnownNetworks entries must be CIDR ranges like 10.0.0.0/8, got '{network}'.");
            }
        }
    }
}
