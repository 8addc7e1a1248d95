using System.Net;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Registry;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace HlsCdn.Node.Relays;

/// <summary>Where a relay pulls a stream from: a node named by the registry (<c>only_source=true</c>) or the upstream.</summary>
public readonly record struct UpstreamSource(Uri Url, bool OnlySource, string Via);

/// <summary>Steps 3 and 4 of the lookup chain: the publish registry, then the configured upstream node.</summary>
/// <remarks>
/// The registry, this node's URL and service discovery are optional: they are there only when the registry is
/// configured (<see cref="RegistryHostingExtensions.AddPublishRegistry"/>) and with the service defaults.
/// </remarks>
public sealed class UpstreamResolver(
    IOptions<RelayOptions> relayOptions,
    IOptions<RegistryOptions> registryOptions,
    NodeMetrics metrics,
    TimeProvider time,
    IPublishRegistry? registry = null,
    NodeUrl? self = null,
    ServiceEndpointResolver? endpoints = null)
{
    private readonly RelayOptions _options = relayOptions.Value;
    private readonly IPublishRegistry? _registry = relayOptions.Value.UseRegistry ? registry : null;

    /// <summary>Whether any upstream step is configured (otherwise a node serves only its own streams).</summary>
    public bool CanRelay => _registry is not null || _options.IsUpstreamEnabled;

    public async ValueTask<UpstreamSource?> ResolveAsync(string streamId, CancellationToken cancellationToken)
    {
        if (_registry is not null && await LookupRegistryAsync(streamId, cancellationToken).ConfigureAwait(false) is { } published)
        {
            return published;
        }

        if (_options.IsUpstreamEnabled && await ResolveUpstreamAsync(cancellationToken).ConfigureAwait(false) is { } upstream)
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
                .WaitAsync(registryOptions.Value.LookupTimeout, time, cancellationToken).ConfigureAwait(false);
            result = url is null ? "miss" : "hit";

            // Never relay from ourselves (a stream that was published here and is gone).
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (self is not null && string.Equals(url, self.Value, StringComparison.OrdinalIgnoreCase)))
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
        if (!string.IsNullOrWhiteSpace(_options.UpstreamUrl))
        {
            return new Uri(_options.UpstreamUrl);
        }

        if (string.IsNullOrWhiteSpace(_options.UpstreamService))
        {
            return null;
        }

        var resolver = endpoints
            ?? throw new InvalidOperationException("Node:Relay:UpstreamService needs service discovery (AddServiceDiscovery, part of AddServiceDefaults).");
        var source = await resolver.GetEndpointsAsync("http://" + _options.UpstreamService, cancellationToken).ConfigureAwait(false);
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
