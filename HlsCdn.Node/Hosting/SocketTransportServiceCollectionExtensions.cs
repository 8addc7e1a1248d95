using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace HlsCdn.Node.Hosting;

/// <summary>How Kestrel's socket transport hands what a connection reads to the node's code.</summary>
internal static class SocketTransportServiceCollectionExtensions
{
    /// <summary>
    /// Kestrel's pipes resume their reader (the HTTP parser, then the node's WebSocket session) on the thread-pool
    /// worker that completed the socket's receive, and send the <c>101</c> from the thread that flushed it, instead of
    /// queueing each step to the pool again (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>). On
    /// a small machine each such hand-off can wake a sleeping worker; a join pays several before <c>OK</c>
    /// (docs/performance.md, twelfth session). "Unsafe" names the one rule this needs, and the node's code keeps it:
    /// nothing that runs on a connection's reads blocks (sessions await; a fan-out's writers send only until a send would
    /// wait).
    /// </summary>
    public static IServiceCollection AddNodeSocketTransport(this IServiceCollection services)
    {
        services.AddOptions<SocketTransportOptions>().Configure(transport => transport.UnsafePreferInlineScheduling = true);
        return services;
    }
}
