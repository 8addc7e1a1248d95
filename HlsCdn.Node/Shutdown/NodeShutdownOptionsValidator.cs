using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.Shutdown;

/// <summary>Checks <see cref="NodeShutdownOptions"/> at start-up.</summary>
internal sealed class NodeShutdownOptionsValidator : OptionsValidator<NodeShutdownOptions>
{
    protected override void Check(NodeShutdownOptions options, List<string> failures)
    {
        OptionsValidation.Positive(failures, "Node:ShutdownTimeout", options.ShutdownTimeout);
        if (options.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Node:ShutdownTimeout must be at most 10 minutes, got {options.ShutdownTimeout}.");
        }
    }
}
