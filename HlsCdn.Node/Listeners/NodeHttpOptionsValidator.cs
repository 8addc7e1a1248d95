using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Listeners;

/// <summary>Checks <see cref="NodeHttpOptions"/> at start-up.</summary>
internal sealed class NodeHttpOptionsValidator : IValidateOptions<NodeHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeHttpOptions options) =>
        options.Port is < 0 or > 65535
            ? ValidateOptionsResult.Fail($"Node:Http:Port (HTTP_PORT) must be a port number 0-65535, got '{options.Port}'.")
            : ValidateOptionsResult.Success;
}
