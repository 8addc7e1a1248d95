using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.RateLimiting;

/// <summary>Adds the per-client-IP limits to a pipeline.</summary>
internal static class RateLimitingApplicationBuilderExtensions
{
    /// <summary>Adds ASP.NET Core's rate limiter when <see cref="NodeRateLimitOptions"/> sets any limit (otherwise nothing).</summary>
    public static IApplicationBuilder UseNodeRateLimiting(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<NodeRateLimitOptions>>().Value.IsActive)
        {
            app.UseRateLimiter();
        }

        return app;
    }
}
