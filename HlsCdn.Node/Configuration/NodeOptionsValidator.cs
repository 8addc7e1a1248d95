using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Configuration;

/// <summary>Checks <see cref="NodeOptions"/> at start-up; every message names the setting and its original variable.</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.WebSocketPath) || options.WebSocketPath[0] != '/')
        {
            failures.Add($"Node:WebSocketPath (WEBSOCKET_PREFIX) must start with '/', got '{options.WebSocketPath}'.");
        }

        OptionsValidation.Range(failures, "Node:MaxBinaryMessageSize (MAX_BINARY_MESSAGE_SIZE)", options.MaxBinaryMessageSize, 1, 1024 * 1024 * 1024);
        OptionsValidation.Range(failures, "Node:FragmentBufferMaxLength (FRAGMENT_BUFFER_MAX_LENGTH)", options.FragmentBufferMaxLength, 0, 10_000);
        OptionsValidation.Range(failures, "Node:BufferMemoryLimitMB (BUFFER_MEMORY_LIMIT_MB)", options.BufferMemoryLimitMB, 1, 1024 * 1024);
        OptionsValidation.Range(failures, "Node:SpectatorQueueLength (formerly Node:SubscriberQueueLength)", options.SpectatorQueueLength, 1, 10_000);
        OptionsValidation.Positive(failures, "Node:SendTimeout", options.SendTimeout);
        OptionsValidation.Positive(failures, "Node:HeartbeatInterval", options.HeartbeatInterval);
        OptionsValidation.Positive(failures, "Node:IdleTimeout", options.IdleTimeout);
        OptionsValidation.Positive(failures, "Node:FirstMessageTimeout", options.FirstMessageTimeout);
        OptionsValidation.Positive(failures, "Node:RelayTokenLifetime", options.RelayTokenLifetime);
        if (options.TokenClockSkew < TimeSpan.Zero)
        {
            failures.Add($"Node:TokenClockSkew must not be negative, got {options.TokenClockSkew}.");
        }

        if (options.IdleTimeout <= options.HeartbeatInterval)
        {
            failures.Add($"Node:IdleTimeout ({options.IdleTimeout}) must be longer than Node:HeartbeatInterval ({options.HeartbeatInterval}), or healthy idle peers are cut off.");
        }

        if (!string.IsNullOrWhiteSpace(options.ExternalUrl)
            && (!Uri.TryCreate(options.ExternalUrl, UriKind.Absolute, out var external) || external.Scheme is not ("ws" or "wss")))
        {
            failures.Add($"Node:ExternalUrl (EXTERNAL_WEBSOCKET_URL) must be an absolute ws:// or wss:// URL, got '{options.ExternalUrl}'.");
        }

        if (!Enum.IsDefined(options.SlowSpectatorPolicy))
        {
            failures.Add($"Node:SlowSpectatorPolicy (formerly Node:SlowSubscriberPolicy) must be one of {string.Join(", ", Enum.GetNames<SlowSpectatorPolicy>())}.");
        }

        return OptionsValidation.Result(failures);
    }
}
