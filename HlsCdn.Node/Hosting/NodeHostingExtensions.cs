using HlsCdn.Node.Admission;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Connections;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.ForwardedHeaders;
using HlsCdn.Node.Listeners;
using HlsCdn.Node.RateLimiting;
using HlsCdn.Node.Registry;
using HlsCdn.Node.Relays;
using HlsCdn.Node.Shutdown;
using HlsCdn.Node.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Hosting;

/// <summary>Adds the node engine to a web application.</summary>
public static class NodeHostingExtensions
{
    /// <summary>
    /// Adds the engine in <paramref name="role"/>: configuration (including the original environment variable names),
    /// validated options, streams, the protocol handler, the watchdog, metrics, relays and the publish registry, and
    /// the node's features: listeners (HTTP, TLS), Kestrel limits, the socket transport's scheduling, the connection hand-off, graceful shutdown,
    /// forwarded headers, admission and rate limiting. Without any configured address the node listens on <c>http://localhost:{defaultPort}</c>.
    /// </summary>
    public static WebApplicationBuilder AddHlsCdnNode(this WebApplicationBuilder builder, NodeRole role, int defaultPort)
    {
        builder.Configuration.AddOriginalEnvironmentVariables();
        var services = builder.Services;
        services.AddValidatedOptions<NodeOptions, NodeOptionsValidator>(NodeOptions.SectionName).Configure(o =>
        {
            o.Role = role;
            if (role == NodeRole.Edge)
            {
                o.PushAllowed = false;
            }
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new BufferMemoryBudget(sp.GetRequiredService<IOptions<NodeOptions>>().Value.BufferMemoryLimitBytes));
        services.AddSingleton<StreamDirectory>();
        services.AddNodeRelays();
        services.AddSingleton<ConnectionTracker>();
        services.AddSingleton<ConnectionCounter>();
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton<NodeLimitMetrics>();
        services.AddSingleton<NodeStatus>();
        services.AddSingleton<NodeProtocolHandler>();
        services.AddHostedService<ConnectionWatchdog>();
        services.AddHostedService<IdleMemoryTrimmer>();
        services.AddHostedService<NodeStartupReport>();
        services.AddMetrics();
        builder.AddPublishRegistry(announce: role == NodeRole.Publish);
        services.AddNodeListeners(defaultPort);
        services.AddNodeKestrelLimits();
        services.AddNodeSocketTransport();
        services.AddNodeConnectionHandoff();
        services.AddNodeGracefulShutdown();
        services.AddNodeForwardedHeaders();
        services.AddNodeAdmission();
        services.AddNodeRateLimiting();
        return builder;
    }
}
