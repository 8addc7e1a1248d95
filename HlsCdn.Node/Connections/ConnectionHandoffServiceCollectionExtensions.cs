using HlsCdn.Node.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Connections;

/// <summary>Adds the connection hand-off to every Kestrel listener of the node.</summary>
internal static class ConnectionHandoffServiceCollectionExtensions
{
    /// <summary>
    /// Every listener gets <see cref="ConnectionHandoffListenOptionsExtensions.UseConnectionHandoff"/>, unless a limit
    /// of WebSocket sessions per client IP is set: ASP.NET Core's rate limiter holds that permit for as long as the
    /// request lasts, so there the request lasts as long as the session (as it does on TLS and HTTP/2 connections).
    /// </summary>
    public static IServiceCollection AddNodeConnectionHandoff(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<NodeRateLimitOptions>>((kestrel, limits) =>
        {
            if (limits.Value is not { IsActive: true, ConnectionsPerIp: > 0 })
            {
                kestrel.ConfigureEndpointDefaults(listen => listen.UseConnectionHandoff());
            }
        });
        return services;
    }
}
