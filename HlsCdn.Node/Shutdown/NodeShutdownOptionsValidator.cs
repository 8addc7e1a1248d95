using HlsCdn.Node.Configuration;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Shutdown;

/// <summary>Checks <see cref="NodeShutdownOptions"/> at start-up.</summary>
internal sealed class NodeShutdownOptionsValidator : IValidateOptions<NodeShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeShutdownOptions options)
    {
        var failures = new List<string>();
        OptionsValidation.Positive(failures, "Node:ShutdownTimeout", options.ShutdownTimeout);
        if (options.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Node:ShutdownTimeout must be at most 10 minutes, got {options.ShutdownTimeout}.");
        }

        return OptionsValidation.Result(failures);
    }
}
