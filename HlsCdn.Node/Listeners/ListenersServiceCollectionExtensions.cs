using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Listeners;

/// <summary>Adds the node's listeners: plain HTTP and the TLS listener with certificate reload.</summary>
internal static class ListenersServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="NodeHttpOptions"/> and <see cref="NodeTlsOptions"/> (validated at start-up), the addresses
    /// (<see cref="ListenerAddresses"/>; <paramref name="defaultPort"/> on localhost when none is configured), and with
    /// TLS the certificate store Kestrel's HTTPS handshakes ask, and its reloader.
    /// </summary>
    public static IServiceCollection AddNodeListeners(this IServiceCollection services, int defaultPort)
    {
        services.AddValidatedOptions<NodeHttpOptions, NodeHttpOptionsValidator>(NodeHttpOptions.SectionName).Configure(o => o.DefaultPort = defaultPort);
        services.AddValidatedOptions<NodeTlsOptions, NodeTlsOptionsValidator>(NodeTlsOptions.SectionName);
        services.AddHostedService<ListenerAddresses>();
        services.AddSingleton<TlsCertificateStore>();
        services.AddHostedService<TlsCertificateReloader>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<NodeTlsOptions>>((kestrel, tls) =>
        {
            if (tls.Value.Enabled)
            {
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    var store = kestrel.ApplicationServices.GetRequiredService<TlsCertificateStore>();
                    https.ServerCertificateSelector = (_, _) => store.Current;
                });
            }
        });
        return services;
    }
}
