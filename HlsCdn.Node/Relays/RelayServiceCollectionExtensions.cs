using HlsCdn.Node.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HlsCdn.Node.Relays;

/// <summary>Adds the lookup chain and relays.</summary>
internal static class RelayServiceCollectionExtensions
{
    /// <summary>Registers <see cref="RelayOptions"/> (validated at start-up), <see cref="UpstreamResolver"/> and <see cref="StreamLookupChain"/> as the <see cref="IStreamResolver"/>.</summary>
    public static IServiceCollection AddNodeRelays(this IServiceCollection services)
    {
        services.TryAddSingleton<IStreamResolver, StreamLookupChain>();
        services.AddSingleton<UpstreamResolver>();
        services.AddValidatedOptions<RelayOptions, RelayOptionsValidator>(RelayOptions.SectionName);
        return services;
    }
}
