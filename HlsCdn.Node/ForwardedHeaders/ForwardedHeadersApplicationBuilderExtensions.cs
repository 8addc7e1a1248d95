using System.Net;
using HlsCdn.Node.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders;
using IPNetwork = System.Net.IPNetwork;

namespace HlsCdn.Node.ForwardedHeaders;

/// <summary>Adds ASP.NET Core's forwarded headers middleware for the known proxies only.</summary>
internal static class ForwardedHeadersApplicationBuilderExtensions
{
    /// <summary>
    /// When <see cref="NodeForwardedHeadersOptions"/> names proxies or networks, believes <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> from them (and from nobody else); otherwise adds nothing and the headers are ignored.
    /// </summary>
    public static IApplicationBuilder UseNodeForwardedHeaders(this IApplicationBuilder app)
    {
        var forwarded = app.ApplicationServices.GetRequiredService<IOptions<NodeForwardedHeadersOptions>>().Value;
        if (!forwarded.IsConfigured)
        {
            return app;
        }

        var headers = new ForwardedHeadersOptions { ForwardedHeaders = HttpForwardedHeaders.XForwardedFor | HttpForwardedHeaders.XForwardedProto };
        headers.KnownProxies.Clear();
        headers.KnownIPNetworks.Clear();
        foreach (var proxy in AddressLists.Split(forwarded.KnownProxies))
        {
            headers.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in AddressLists.Split(forwarded.KnownNetworks))
        {
            headers.KnownIPNetworks.Add(IPNetwork.Parse(network));
        }

        return app.UseForwardedHeaders(headers);
    }
}
