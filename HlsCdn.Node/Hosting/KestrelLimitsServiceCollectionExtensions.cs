using HlsCdn.Node.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Hosting;

/// <summary>Bounds how long Kestrel holds a connection that has not started its WebSocket session.</summary>
internal static class KestrelLimitsServiceCollectionExtensions
{
    /// <summary>
    /// A TCP connection that never sends a request (or never finishes its headers) is held by Kestrel for its
    /// keep-alive timeout, 130 s by default: at most <see cref="NodeOptions.FirstMessageTimeout"/> here, so idle
    /// sockets cannot pile up.
    /// </summary>
    public static IServiceCollection AddNodeKestrelLimits(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<NodeOptions>>((kestrel, node) =>
        {
            var deadline = node.Value.FirstMessageTimeout;
            kestrel.Limits.KeepAliveTimeout = deadline < kestrel.Limits.KeepAliveTimeout ? deadline : kestrel.Limits.KeepAliveTimeout;
            kestrel.Limits.RequestHeadersTimeout = deadline < kestrel.Limits.RequestHeadersTimeout ? deadline : kestrel.Limits.RequestHeadersTimeout;
        });
        return services;
    }
}
