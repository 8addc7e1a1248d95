using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.RateLimiting;

/// <summary>Adds the per-client-IP limits on top of ASP.NET Core's rate limiting.</summary>
internal static class RateLimitingServiceCollectionExtensions
{
    /// <summary>Registers <see cref="NodeRateLimitOptions"/> (validated at start-up), the rate limiter and <see cref="ConfigureNodeRateLimiter"/>.</summary>
    public static IServiceCollection AddNodeRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddSingleton<IConfigureOptions<RateLimiterOptions>, ConfigureNodeRateLimiter>();
        services.AddValidatedOptions<NodeRateLimitOptions, NodeRateLimitOptionsValidator>(NodeRateLimitOptions.SectionName);
        return services;
    }
}
