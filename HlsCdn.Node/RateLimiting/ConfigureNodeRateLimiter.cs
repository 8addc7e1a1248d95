using System.Net;
using System.Threading.RateLimiting;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.RateLimiting;

/// <summary>
/// Sets ASP.NET Core's <see cref="RateLimiterOptions"/> from <see cref="NodeRateLimitOptions"/>: a token bucket of
/// requests per client IP and a concurrency limit of WebSocket sessions per client IP (chained), 429 beyond, the
/// allow-list exempt. Nothing when the limits are off.
/// </summary>
internal sealed class ConfigureNodeRateLimiter(IOptions<NodeRateLimitOptions> limitOptions, NodeLimitMetrics metrics, ILogger<ConfigureNodeRateLimiter> logger)
    : IConfigureOptions<RateLimiterOptions>
{
    public void Configure(RateLimiterOptions options)
    {
        var limits = limitOptions.Value;
        if (!limits.Enabled)
        {
            return;
        }

        var allowList = limits.ParsedAllowList;
        var chain = new List<PartitionedRateLimiter<HttpContext>>();
        if (limits.RequestsPerSecond > 0)
        {
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(limits.RequestBurst, limits.RequestsPerSecond),
                TokensPerPeriod = limits.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
            chain.Add(PartitionedRateLimiter.Create<HttpContext, string>(context =>
                ClientKey(context, allowList) is { } key
                    ? RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket)
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
        }

        if (limits.ConnectionsPerIp > 0)
        {
            // One permit per WebSocket session, held by the middleware for the whole request, i.e. the whole session.
            var concurrency = new ConcurrencyLimiterOptions { PermitLimit = limits.ConnectionsPerIp, QueueLimit = 0 };
            chain.Add(PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.WebSockets.IsWebSocketRequest && ClientKey(context, allowList) is { } key
                    ? RateLimitPartition.GetConcurrencyLimiter(key, _ => concurrency)
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
        }

        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = chain.Count switch
        {
            0 => null,
            1 => chain[0],
            _ => PartitionedRateLimiter.CreateChained([.. chain]),
        };
        options.OnRejected = (context, _) =>
        {
            var kind = context.HttpContext.WebSockets.IsWebSocketRequest ? "websocket" : "http";
            metrics.RateLimitRejections.Add(1, new KeyValuePair<string, object?>("kind", kind));
            logger.RateLimited(kind, context.HttpContext.Connection.RemoteIpAddress?.ToString());
            return ValueTask.CompletedTask;
        };
    }

    // The partition key of a limited client; null for allow-listed (or unknown) addresses.
    private static string? ClientKey(HttpContext context, IReadOnlyList<IPNetwork> allowList)
    {
        if (context.Connection.RemoteIpAddress is not { } remote)
        {
            return null;
        }

        var address = AddressLists.Normalize(remote);
        foreach (var network in allowList)
        {
            if (network.Contains(address))
            {
                return null;
            }
        }

        return address.ToString();
    }
}
