using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.Relays;

/// <summary>Checks <see cref="RelayOptions"/> at start-up; every message names the setting and its original variable.</summary>
internal sealed class RelayOptionsValidator : OptionsValidator<RelayOptions>
{
    protected override void Check(RelayOptions options, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(options.UpstreamUrl)
            && (!Uri.TryCreate(options.UpstreamUrl, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss")))
        {
            failures.Add($"Node:Relay:UpstreamUrl (RELAY_FROM_URL) must be an absolute ws:// or wss:// URL, got '{options.UpstreamUrl}'.");
        }

        if (options.UpstreamEnabled == true && string.IsNullOrWhiteSpace(options.UpstreamUrl) && string.IsNullOrWhiteSpace(options.UpstreamService))
        {
            failures.Add("Node:Relay:UpstreamEnabled (RELAY_FROM_ENABLED) is on, but neither Node:Relay:UpstreamUrl (RELAY_FROM_URL) nor Node:Relay:UpstreamService is set.");
        }

        OptionsValidation.Positive(failures, "Node:Relay:InactivityTimeout", options.InactivityTimeout);
        OptionsValidation.Positive(failures, "Node:Relay:FailoverGracePeriod", options.FailoverGracePeriod);
        OptionsValidation.Positive(failures, "Node:Relay:FailoverRetryInterval", options.FailoverRetryInterval);
    }
}
