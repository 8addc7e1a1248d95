using System.Globalization;
using System.Text;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Hosting;

/// <summary>Logs the node's effective settings at start-up, and warns about empty or weak secrets (never their values).</summary>
internal sealed class NodeStartupReport(IOptions<NodeOptions> options, ILogger<NodeStartupReport> logger) : IHostedService
{
    /// <summary>Secrets shorter than this many bytes get a warning.</summary>
    public const int WeakSecretBytes = 32;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        Log.NodeStarted(
            logger,
            o.Role.ToString(),
            o.WebSocketPath,
            o.Role == NodeRole.Publish && o.PushAllowed,
            o.FragmentBufferMaxLength,
            o.BufferMemoryLimiterEnabled ? o.BufferMemoryLimitMB.ToString(CultureInfo.InvariantCulture) : "unlimited");
        if (o.Role == NodeRole.Publish && o.PushAllowed)
        {
            CheckSecret(o.PushSecret, "Node:PushSecret (PUSH_SECRET)", "publisher");
        }

        CheckSecret(o.PullSecret, "Node:PullSecret (PULL_SECRET)", "spectator");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void CheckSecret(string? secret, string setting, string purpose)
    {
        if (string.IsNullOrEmpty(secret))
        {
            Log.SecretEmpty(logger, setting, purpose);
        }
        else if (Encoding.UTF8.GetByteCount(secret) < WeakSecretBytes)
        {
            Log.SecretWeak(logger, setting);
        }
    }
}
