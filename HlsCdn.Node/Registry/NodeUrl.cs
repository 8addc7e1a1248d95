using HlsCdn.Node.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Registry;

/// <summary>
/// This node's external WebSocket URL, as other nodes reach it: <c>Node:ExternalUrl</c> (EXTERNAL_WEBSOCKET_URL), or
/// derived from the first bound address (a wildcard host becomes the machine name) and the WebSocket path.
/// </summary>
public sealed class NodeUrl(IOptions<NodeOptions> options, IServer server)
{
    private string? _value;

    public string Value => _value ??= Resolve();

    private string Resolve()
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.ExternalUrl))
        {
            return o.ExternalUrl;
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The node has no bound address yet; set Node:ExternalUrl (EXTERNAL_WEBSOCKET_URL).");
        var uri = new Uri(address.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? Environment.MachineName : uri.Host;
        var builder = new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws", Host = host, Path = o.WebSocketPath };
        return builder.Uri.ToString();
    }
}
