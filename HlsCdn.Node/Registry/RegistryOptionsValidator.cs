using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.Registry;

/// <summary>Checks <see cref="RegistryOptions"/> at start-up; every message names the setting and its original variable.</summary>
internal sealed class RegistryOptionsValidator : OptionsValidator<RegistryOptions>
{
    protected override void Check(RegistryOptions options, List<string> failures)
    {
        if (options.RefreshIntervalSeconds is < 1 or > 86_400)
        {
            failures.Add($"Node:Registry:RefreshIntervalSeconds (PUB_REG_REFRESH_INTERVAL_SECONDS) must be between 1 and 86400, got {options.RefreshIntervalSeconds}.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Node:Registry:Port (PUB_REG_REDIS_PORT) must be a port number, got {options.Port}.");
        }

        if (options.LookupTimeout <= TimeSpan.Zero || options.RetryInterval <= TimeSpan.Zero)
        {
            failures.Add("Node:Registry:LookupTimeout and Node:Registry:RetryInterval must be positive.");
        }

        if (options.Enabled == true && !options.IsConfigured)
        {
            failures.Add($"Node:Registry:Enabled (PUB_REG_REDIS_ENABLED) is on, but neither ConnectionStrings:{options.ConnectionName} nor Node:Registry:Host (PUB_REG_REDIS_HOST) is set.");
        }
    }
}
