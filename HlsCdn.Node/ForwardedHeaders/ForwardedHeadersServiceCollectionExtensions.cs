using Microsoft.Extensions.DependencyInjection;

namespace HlsCdn.Node.ForwardedHeaders;

/// <summary>Adds the settings of the forwarded headers from known proxies.</summary>
internal static class ForwardedHeadersServiceCollectionExtensions
{
    /// <summary>Registers <see cref="NodeForwardedHeadersOptions"/>, validated at start-up; the middleware itself needs nothing else.</summary>
    public static IServiceCollection AddNodeForwardedHeaders(this IServiceCollection services)
    {
        services.AddValidatedOptions<NodeForwardedHeadersOptions, NodeForwardedHeadersOptionsValidator>(NodeForwardedHeadersOptions.SectionName);
        return services;
    }
}
