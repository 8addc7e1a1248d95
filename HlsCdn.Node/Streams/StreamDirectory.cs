using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using HlsCdn.Node.Configuration;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Streams;

/// <summary>The streams this node currently carries (local sources and relays), by stream id.</summary>
public sealed class StreamDirectory
{
    private readonly ConcurrentDictionary<string, LiveStream> _streams = new(StringComparer.Ordinal);
    private readonly int _bufferLength;
    private readonly TimeProvider _time;

    public StreamDirectory(IOptions<NodeOptions> options, BufferMemoryBudget budget, TimeProvider time)
    {
        _bufferLength = options.Value.FragmentBufferMaxLength;
        Budget = budget;
        _time = time;
    }

    public BufferMemoryBudget Budget { get; }

    public int Count => _streams.Count;

    public ICollection<LiveStream> Streams => _streams.Values;

    /// <summary>How many streams have a local source and how many a relay, and their spectators in all.</summary>
    public (int Local, int Relay, int Spectators) CountBySource()
    {
        int local = 0, relay = 0, spectators = 0;
        foreach (var stream in _streams.Values)
        {
            spectators += stream.SpectatorCount;
            if (stream.SourceKind == StreamSourceKind.Local)
            {
                local++;
            }
            else
            {
                relay++;
            }
        }

        return (local, relay, spectators);
    }

    public bool TryGet(string streamId, [NotNullWhen(true)] out LiveStream? stream) => _streams.TryGetValue(streamId, out stream);

    /// <summary>Attaches <paramref name="source"/> to the stream <paramref name="streamId"/>, creating it if needed; a previous source is taken over.</summary>
    public LiveStream Attach(string streamId, IStreamSource source)
    {
        while (true)
        {
            var stream = _streams.GetOrAdd(streamId, static (id, self) => self.Create(id), this);
            if (stream.TryAttachSource(source))
            {
                return stream;
            }

            // It ended between lookup and attach: it removes itself; make sure and retry with a new one.
            _streams.TryRemove(new KeyValuePair<string, LiveStream>(streamId, stream));
        }
    }

    /// <summary>Returns the stream <paramref name="streamId"/> or adds the one <paramref name="create"/> makes (with its source already attached).</summary>
    public LiveStream GetOrAdd(string streamId, Func<string, LiveStream> create) => _streams.GetOrAdd(streamId, create);

    /// <summary>Makes an unattached stream that removes itself from this directory when it ends.</summary>
    public LiveStream Create(string streamId) => new(streamId, _bufferLength, Budget, _time, Remove, FanOutLanes);

    /// <summary>
    /// Most threads one stream's fan-out uses: half the processors (the other half for the node's other streams, its
    /// reads and TLS), one on a 2-core machine, where one thread sending a fragment to 1000 spectators measured cheaper
    /// than the thread pool's two (docs/performance.md).
    /// </summary>
    private static int FanOutLanes => Math.Max(1, Environment.ProcessorCount / 2);

    private void Remove(LiveStream stream) => _streams.TryRemove(new KeyValuePair<string, LiveStream>(stream.Id, stream));
}
