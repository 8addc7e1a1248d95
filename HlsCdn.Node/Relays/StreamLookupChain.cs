using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Relays;

/// <summary>
/// The lookup chain of protocol.md, each step switchable: (1) a local publisher, (2) a relay this node already has,
/// (3) the publish registry → a new relay with <c>only_source=true</c>, (4) the upstream node → a new relay.
/// Concurrent first pulls of one stream open exactly one relay, shared by all of this node's spectators.
/// </summary>
public sealed class StreamLookupChain(
    StreamDirectory directory,
    UpstreamResolver upstream,
    IOptions<RelayOptions> relayOptions,
    IOptions<NodeOptions> node,
    NodeMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers) : IStreamResolver
{
    private readonly RelayOptions _options = relayOptions.Value;
    private readonly ILogger _logger = loggers.CreateLogger<StreamRelay>();

    public async ValueTask<LiveStream?> ResolveAsync(string streamId, bool onlySource, CancellationToken cancellationToken)
    {
        if (directory.TryGet(streamId, out var existing) && !existing.IsEnded)
        {
            if (existing.SourceKind == StreamSourceKind.Local ? _options.UseLocal : !onlySource && _options.ShareRelays)
            {
                return existing;
            }
        }

        if (onlySource || !upstream.CanRelay)
        {
            return null;
        }

        if (await upstream.ResolveAsync(streamId, cancellationToken).ConfigureAwait(false) is not { } source)
        {
            return null;
        }

        var created = directory.Create(streamId);
        var relay = new StreamRelay(created, source, upstream, _options, node.Value, metrics, time, _logger);
        created.TryAttachSource(relay);
        var stream = _options.ShareRelays ? directory.GetOrAdd(streamId, _ => created) : created;
        if (!ReferenceEquals(stream, created))
        {
            // Another pull opened the relay first (or a publisher appeared): share that one.
            created.End(relay, LiveStreamEndReason.Inactive);
            return stream.IsEnded ? null : stream;
        }

        _ = Task.Run(relay.RunAsync, CancellationToken.None);
        return stream;
    }
}
