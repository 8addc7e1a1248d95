using System.Net;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;

namespace HlsCdn.Node.Relays;

/// <summary>Where a relay pulls a stream from: a node named by the registry (<c>only_source=true</c>) or the upstream.</summary>
public readonly record struct UpstreamSource(Uri Url, bool OnlySource, string Via);

/// <summary>Steps 3 and 4 of the lookup chain: the publish registry, then the configured upstream node.</summary>
public sealed class UpstreamResolver(RelayOptions options, NodeMetrics metrics, TimeProvider time, IServiceProvider services)
{
    private readonly IPublishRegistry? _registry = options.UseRegistry ? services.GetService<IPublishRegistry>() : null;
    private readonly RegistryOptions? _registryOptions = services.GetService<RegistryOptions>();
    private readonly NodeUrl? _self = services.GetService<NodeUrl>();

    /// <summary>Whether any upstream step is configured (otherwise a node serves only its own streams).</summary>
    public bool CanRelay => _registry is not null || options.IsUpstreamEnabled;

    public async ValueTask<UpstreamSource?> ResolveAsync(string streamId, CancellationToken cancellationToken)
    {
        if (_registry is not null && await LookupRegistryAsync(streamId, cancellationToken).ConfigureAwait(false) is { } published)
        {
            return published;
        }

        if (options.IsUpstreamEnabled && await ResolveUpstreamAsync(cancellationToken).ConfigureAwait(false) is { } upstream)
        {
            return new UpstreamSource(upstream, false, "upstream");
        }

        return null;
    }

    private async ValueTask<UpstreamSource?> LookupRegistryAsync(string streamId, CancellationToken cancellationToken)
    {
        // A registry that is away is skipped at once: the lookup falls through to the upstream.
        if (!_registry!.IsAvailable)
        {
            metrics.RegistryLookups.Record(0, new KeyValuePair<string, object?>("result", "unavailable"));
            return null;
        }

        var started = time.GetTimestamp();
        string result = "error";
        try
        {
            var url = await _registry.LookupAsync(streamId, cancellationToken)
                .WaitAsync(_registryOptions?.LookupTimeout ?? TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            result = url is null ? "miss" : "hit";

            // Never relay from ourselves (a stream that was published here and is gone).
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (_self is not null && string.Equals(url, _self.Value, StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            return new UpstreamSource(uri, true, "registry");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = ex is TimeoutException ? "timeout" : "error";
            return null;
        }
        finally
        {
            metrics.RegistryLookups.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("result", result));
        }
    }

    private async ValueTask<Uri?> ResolveUpstreamAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.UpstreamUrl))
        {
            return new Uri(options.UpstreamUrl);
        }

        if (string.IsNullOrWhiteSpace(options.UpstreamService))
        {
            return null;
        }

        var resolver = services.GetService<ServiceEndpointResolver>()
            ?? throw new InvalidOperationException("Node:Relay:UpstreamService needs service discovery (AddServiceDiscovery, part of AddServiceDefaults).");
        var source = await resolver.GetEndpointsAsync("http://" + options.UpstreamService, cancellationToken).ConfigureAwait(false);
        foreach (var endpoint in source.Endpoints)
        {
            if (ToWebSocketUrl(endpoint.EndPoint) is { } url)
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>An HTTP endpoint of a node as its WebSocket URL (<c>http</c> → <c>ws</c>, <c>https</c> → <c>wss</c>).</summary>
    public static Uri? ToWebSocketUrl(EndPoint endPoint)
    {
        var uri = endPoint switch
        {
            UriEndPoint u => u.Uri,
            IPEndPoint ip => new Uri($"http://{ip}"),
            DnsEndPoint dns => new Uri($"http://{dns.Host}:{dns.Port}"),
            _ => null,
        };
        if (uri is null)
        {
            return null;
        }

        var scheme = uri.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => null,
        };
        return scheme is null ? null : new UriBuilder(uri) { Scheme = scheme, Port = uri.Port }.Uri;
    }
}
