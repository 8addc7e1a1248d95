using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Shutdown;

/// <summary>Adds graceful shutdown: <see cref="NodeShutdownOptions"/>, <see cref="NodeLifecycle"/> and <see cref="NodeShutdownService"/>.</summary>
internal static class GracefulShutdownServiceCollectionExtensions
{
    /// <summary>
    /// On SIGTERM the node refuses new sessions, ends every stream and connection with <c>NODE_SHUTDOWN</c> and lets the
    /// registry remove its streams, within <see cref="NodeShutdownOptions.ShutdownTimeout"/> (also the host's shutdown timeout).
    /// </summary>
    public static IServiceCollection AddNodeGracefulShutdown(this IServiceCollection services)
    {
        services.AddSingleton<NodeLifecycle>();
        services.AddHostedService<NodeShutdownService>();
        services.AddValidatedOptions<NodeShutdownOptions, NodeShutdownOptionsValidator>(NodeShutdownOptions.SectionName);
        services.AddOptions<HostOptions>().Configure<IOptions<NodeShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.ShutdownTimeout);
        return services;
    }
}
