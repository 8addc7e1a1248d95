using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.Listeners;

/// <summary>Checks <see cref="NodeHttpOptions"/> at start-up: a port, when given, is a port number.</summary>
internal sealed class NodeHttpOptionsValidator : OptionsValidator<NodeHttpOptions>
{
    protected override void Check(NodeHttpOptions options, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(options.Port) && (!int.TryParse(options.Port, out var port) || port is < 0 or > 65535))
        {
            failures.Add($"Node:Http:Port (HTTP_PORT) must be a port number 0-65535, got '{options.Port}'.");
        }
    }
}
