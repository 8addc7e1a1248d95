using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Listeners;

/// <summary>
/// The addresses Kestrel listens on, set before the server starts (in the host's <i>starting</i> phase, before the web
/// host reads its own address settings): <c>Node:Http:Port</c> (+ <c>BindAddress</c>) wins; then ASP.NET Core's own
/// settings (<c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c>, <c>Kestrel:Endpoints</c>: what Aspire and container images set);
/// else the role's default port on localhost. <c>Node:Tls</c> adds an <c>https://</c> address (certificate from
/// <see cref="TlsCertificateStore"/>); <c>Node:Http:Enabled=false</c> removes the <c>http://</c> ones.
/// </summary>
internal sealed class ListenerAddresses(IServer server, IConfiguration configuration, IOptions<NodeHttpOptions> httpOptions, IOptions<NodeTlsOptions> tlsOptions)
    : IHostedLifecycleService
{
    /// <summary>The host part of a listen URL for a bind address: every address (<c>*</c>) when empty or a wildcard, IPv6 in brackets.</summary>
    public static string Host(string? bindAddress) =>
        string.IsNullOrWhiteSpace(bindAddress) || bindAddress is "0.0.0.0" or "*" ? "*"
        : bindAddress.Contains(':', StringComparison.Ordinal) ? $"[{bindAddress}]"
        : bindAddress;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses is not { IsReadOnly: false, Count: 0 } addresses)
        {
            return Task.CompletedTask;
        }

        foreach (var url in Resolve())
        {
            addresses.Add(url);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The addresses to listen on; empty leaves them to the web host (its own settings, unchanged).
    private List<string> Resolve()
    {
        var http = httpOptions.Value;
        var tls = tlsOptions.Value;
        var chosen = Chosen(http);
        var urls = new List<string>();
        if (!tls.Enabled && http.Enabled)
        {
            if (chosen is not null)
            {
                urls.Add(chosen);
            }

            return urls;
        }

        var current = chosen ?? configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(current) && configuration[WebHostDefaults.HttpPortsKey] is { Length: > 0 } ports)
        {
            current = string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }

        foreach (var url in (current ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (http.Enabled || !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                urls.Add(url);
            }
        }

        if (tls.Enabled)
        {
            urls.Add($"https://{Host(tls.BindAddress)}:{tls.Port}");
        }

        if (urls.Count == 0)
        {
            throw new OptionsValidationException(NodeHttpOptions.SectionName, typeof(NodeHttpOptions), ["Node:Http:Enabled (HTTP_ENABLED) is false and Node:Tls:Enabled (TLS_ENABLED) is not set: the node would listen nowhere."]);
        }

        return urls;
    }

    // Node:Http:Port's address, or the default one when no address is configured anywhere; null: ASP.NET Core's settings apply.
    private string? Chosen(NodeHttpOptions http)
    {
        if (http.PortNumber is { } port)
        {
            return $"http://{Host(http.BindAddress)}:{port}";
        }

        var configured = !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
            || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        return configured ? null : $"http://localhost:{http.DefaultPort}";
    }
}
