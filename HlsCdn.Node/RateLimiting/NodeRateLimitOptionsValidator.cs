using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.RateLimiting;

/// <summary>Checks <see cref="NodeRateLimitOptions"/> at start-up; every message names the setting and its original variable.</summary>
internal sealed class NodeRateLimitOptionsValidator : OptionsValidator<NodeRateLimitOptions>
{
    protected override void Check(NodeRateLimitOptions options, List<string> failures)
    {
        OptionsValidation.Range(failures, "Node:RateLimit:ConnectionsPerIp (RATE_LIMIT_CONNECTIONS)", options.ConnectionsPerIp, 0, 1_000_000);
        OptionsValidation.Range(failures, "Node:RateLimit:RequestsPerSecond (RATE_LIMIT_REQ_PER_SEC)", options.RequestsPerSecond, 0, 1_000_000);
        OptionsValidation.Range(failures, "Node:RateLimit:RequestBurst (RATE_LIMIT_REQ_BURST)", options.RequestBurst, 0, 1_000_000);
        OptionsValidation.Networks(failures, "Node:RateLimit:AllowList (RATE_LIMIT_WHITELIST)", options.AllowList);
    }
}
