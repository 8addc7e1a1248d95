using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.ForwardedHeaders;

/// <summary>Adds the settings of the forwarded headers from known proxies.</summary>
internal static class ForwardedHeadersServiceCollectionExtensions
{
    /// <summary>Registers <see cref="NodeForwardedHeadersOptions"/>, validated at start-up.</summary>
    public static IServiceCollection AddNodeForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<NodeForwardedHeadersOptions>().BindConfiguration(NodeForwardedHeadersOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeForwardedHeadersOptions>, NodeForwardedHeadersOptionsValidator>();
        return services;
    }
}
