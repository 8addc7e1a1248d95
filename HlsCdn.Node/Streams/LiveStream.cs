using System.Buffers;
using System.Text.Json.Serialization;

namespace HlsCdn.Node.Streams;

/// <summary>
/// A stream on this node: its current source (publisher or relay), the ring buffer of recent fragments and the set of
/// spectators. Fan-out enqueues the one shared <see cref="Fragment"/> into each spectator's bounded queue and never
/// waits for any of them. No lock is held across an await: every call here is synchronous.
/// <para>
/// Enqueueing runs an idle spectator's writer on the calling thread until its send would wait (see
/// <see cref="IStreamSpectator.Enqueue"/>), so a fragment leaves for its spectators from the source's thread, one
/// non-blocking send after the other, without a thread-pool hop each. That work happens outside the stream's state
/// lock (joins and leaves do not wait for it), under a second lock that keeps fan-outs (and the end) in order. A large
/// fan-out is split into lanes run in parallel (at most <c>fanOutLanes</c>, at least 256 spectators each); it still
/// completes before the next one starts, so each spectator gets its fragments in order.
/// </para>
/// <para>
/// A publisher's fragments live in pooled arrays (<see cref="RentFragment"/>, <see cref="PublishRented"/>): once the
/// buffer lets a fragment go and every spectator is past it, its array is reused for a later fragment (see
/// <see cref="FragmentRecycler"/>). A fresh large array per fragment would land on untouched pages and fault on each
/// of them while the fragment is copied in (docs/performance.md).
/// </para>
/// </summary>
public sealed class LiveStream
{
    /// <summary>Fewest spectators a fan-out lane takes: below that, one thread sends faster than several start.</summary>
    internal const int MinSpectatorsPerLane = 256;

    /// <summary>Fewest retired fragments the stream waits on before it leaves the oldest to the collector (see <see cref="FragmentRecycler"/>).</summary>
    internal const int MinRetiredFragments = 16;

    private readonly Lock _gate = new();
    private readonly Lock _fanOut = new();
    private readonly int _fanOutLanes;
    private readonly FragmentRingBuffer _buffer;
    private readonly ArrayPool<byte> _fragmentPool;
    private readonly FragmentRecycler _recycler;
    private readonly List<IStreamSpectator> _departing = [];
    private readonly TimeProvider _time;
    private readonly Action<LiveStream>? _onEnded;
    private IStreamSpectator[] _spectators = [];
    private IStreamSource? _source;
    private bool _ended;
    private long _nextSequence;
    private long _lastFragmentTimestamp;
    private long _fragmentsIn;
    private long _bytesIn;
    private long _departedFragmentsOut;
    private long _departedBytesOut;
    private long _drops;
    private long _evictions;

    /// <param name="id">The stream id.</param>
    /// <param name="bufferLength">Fragments the ring buffer keeps.</param>
    /// <param name="budget">The node's memory budget for buffered fragments.</param>
    /// <param name="time">The node's clock.</param>
    /// <param name="onEnded">Called once the stream ended.</param>
    /// <param name="fanOutLanes">Most threads one fan-out may use (see the remarks of the class).</param>
    /// <param name="fragmentPool">Where fragment arrays are rented from and returned to (<see cref="ArrayPool{T}.Shared"/> when null).</param>
    internal LiveStream(string id, int bufferLength, BufferMemoryBudget budget, TimeProvider time, Action<LiveStream>? onEnded, int fanOutLanes = 1, ArrayPool<byte>? fragmentPool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanOutLanes, 1);
        Id = id;
        _fanOutLanes = fanOutLanes;
        _fragmentPool = fragmentPool ?? ArrayPool<byte>.Shared;
        _recycler = new FragmentRecycler(_fragmentPool, Math.Max(bufferLength, MinRetiredFragments));
        _buffer = new FragmentRingBuffer(bufferLength, budget, _recycler.Retire);
        _time = time;
        _onEnded = onEnded;
        CreatedAt = time.GetUtcNow();
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The current source's kind (a stream whose source left keeps the last kind until it ends).</summary>
    public StreamSourceKind SourceKind { get; private set; }

    public string? Upstream { get; private set; }

    public bool IsEnded
    {
        get { lock (_gate) { return _ended; } }
    }

    public int SpectatorCount => Volatile.Read(ref _spectators).Length;

    /// <summary>Makes <paramref name="source"/> the stream's source. The previous source, if any, is told it was taken over.</summary>
    /// <returns>False when the stream has already ended (create a new one).</returns>
    public bool TryAttachSource(IStreamSource source)
    {
        IStreamSource? previous;
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            previous = _source;
            _source = source;
            SourceKind = source.Kind;
            Upstream = source.Upstream;
        }

        if (previous is not null && !ReferenceEquals(previous, source))
        {
            previous.OnTakenOver();
        }

        return true;
    }

    /// <summary>Updates the upstream URL shown in stats (a relay that failed over to another node).</summary>
    public void SetUpstream(IStreamSource source, string? upstream)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_source, source))
            {
                Upstream = upstream;
            }
        }
    }

    /// <summary>Fragments whose pooled memory was reused so far.</summary>
    internal long RecycledFragments
    {
        get { lock (_gate) { return _recycler.Recycled; } }
    }

    /// <summary>Adds a fragment from <paramref name="source"/>, buffers it and fans it out. The collector owns <paramref name="data"/>.</summary>
    /// <returns>False when <paramref name="source"/> is no longer the stream's source or the stream ended.</returns>
    public bool Publish(IStreamSource source, ReadOnlyMemory<byte> data, double durationSeconds) =>
        Publish(source, data, durationSeconds, rentedArray: null);

    /// <summary>An array of at least <paramref name="length"/> bytes for the next fragment: fill it, then hand it to <see cref="PublishRented"/>.</summary>
    public byte[] RentFragment(int length) => _fragmentPool.Rent(length);

    /// <summary>
    /// Publishes the first <paramref name="length"/> bytes of <paramref name="rented"/> (from <see cref="RentFragment"/>)
    /// as <see cref="Publish(IStreamSource, ReadOnlyMemory{byte}, double)"/> does. The stream owns the array from
    /// here on, whatever the result, and returns it to the pool once no spectator can still send it.
    /// </summary>
    public bool PublishRented(IStreamSource source, byte[] rented, int length, double durationSeconds)
    {
        ArgumentNullException.ThrowIfNull(rented);
        return Publish(source, rented.AsMemory(0, length), durationSeconds, rented);
    }

    private bool Publish(IStreamSource source, ReadOnlyMemory<byte> data, double durationSeconds, byte[]? rentedArray)
    {
        lock (_fanOut)
        {
            Fragment fragment;
            IStreamSpectator[] spectators;
            lock (_gate)
            {
                if (_ended || !ReferenceEquals(_source, source))
                {
                    if (rentedArray is not null)
                    {
                        _fragmentPool.Return(rentedArray); // no spectator saw it
                    }

                    return false;
                }

                var now = _time.GetTimestamp();
                fragment = new Fragment(data, durationSeconds, _nextSequence++, now, rentedArray);
                _evictions += _buffer.Add(fragment, out var kept);
                if (!kept)
                {
                    _recycler.Retire(fragment);
                }

                // Every earlier fan-out is complete (they run one at a time): each spectator that can still send a
                // retired fragment has it queued or under way, and its watermark is at most that fragment's sequence.
                // This fragment's own spectators have not sent it yet, so their watermarks are at most its sequence.
                if (_recycler.Count > 0)
                {
                    _recycler.Recycle(LowestUnsentSequence());
                }

                _lastFragmentTimestamp = now;
                _fragmentsIn++;
                _bytesIn += data.Length;

                // The array is replaced, never changed, when spectators join or leave: a spectator that joins from
                // here on gets this fragment from the buffer, one that left is told nothing more.
                spectators = _spectators;
            }

            FanOut(fragment, spectators);
            return true;
        }
    }

    /// <summary>How many lanes a fan-out to <paramref name="spectators"/> uses, with at most <paramref name="lanes"/>.</summary>
    internal static int LanesFor(int spectators, int lanes) => Math.Clamp(spectators / MinSpectatorsPerLane, 1, lanes);

    private void FanOut(Fragment fragment, IStreamSpectator[] spectators)
    {
        var lanes = LanesFor(spectators.Length, _fanOutLanes);
        if (lanes == 1)
        {
            foreach (var spectator in spectators)
            {
                spectator.Enqueue(fragment);
            }

            return;
        }

        // Per fragment, not per spectator: the lanes' delegate and the loop's state.
        Parallel.For(0, lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes }, lane =>
        {
            var end = (int)((long)spectators.Length * (lane + 1) / lanes);
            for (var i = (int)((long)spectators.Length * lane / lanes); i < end; i++)
            {
                spectators[i].Enqueue(fragment);
            }
        });
    }

    /// <summary>Adds a spectator and queues for it the newest <paramref name="maxInitialFragments"/> buffered fragments (all when null).</summary>
    /// <returns>False when the stream has ended.</returns>
    public bool TryAddSpectator(IStreamSpectator spectator, int? maxInitialFragments)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            _spectators = [.. _spectators, spectator];
            var wanted = Math.Clamp(maxInitialFragments ?? int.MaxValue, 0, _buffer.Count);
            if (wanted == 0)
            {
                spectator.JoinedAt(_nextSequence);
            }
            else
            {
                var initial = ArrayPool<Fragment>.Shared.Rent(wanted);
                try
                {
                    var n = _buffer.CopyNewest(wanted, initial);
                    spectator.JoinedAt(initial[0].Sequence);
                    for (var i = 0; i < n; i++)
                    {
                        spectator.Enqueue(initial[i]);
                    }
                }
                finally
                {
                    ArrayPool<Fragment>.Shared.Return(initial, clearArray: true);
                }
            }

            return true;
        }
    }

    /// <summary>Removes a spectator (it left).</summary>
    public void RemoveSpectator(IStreamSpectator spectator)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_spectators, spectator);
            if (index < 0)
            {
                return;
            }

            _departedFragmentsOut += spectator.FragmentsSent;
            _departedBytesOut += spectator.BytesSent;

            // It may still be sending what it was queued: its memory is not reused before the spectator is done.
            _departing.RemoveAll(HasStoppedSending);
            if (!HasStoppedSending(spectator))
            {
                _departing.Add(spectator);
            }

            var next = new IStreamSpectator[_spectators.Length - 1];
            Array.Copy(_spectators, 0, next, 0, index);
            Array.Copy(_spectators, index + 1, next, index, _spectators.Length - index - 1);
            _spectators = next;
        }
    }

    /// <summary>
    /// Ends the stream if <paramref name="source"/> is still its source (any source when null): every spectator gets
    /// <c>CLOSE</c> after what is queued for it, the buffer's memory is released.
    /// </summary>
    public bool End(IStreamSource? source, LiveStreamEndReason reason)
    {
        // After a fan-out under way: its fragment reaches every spectator before CLOSE.
        lock (_fanOut)
        {
            return EndAfterFanOut(source, reason);
        }
    }

    private bool EndAfterFanOut(IStreamSource? source, LiveStreamEndReason reason)
    {
        IStreamSpectator[] spectators;
        lock (_gate)
        {
            if (_ended || (source is not null && !ReferenceEquals(_source, source)))
            {
                return false;
            }

            _ended = true;
            _source = null;
            spectators = _spectators;
            foreach (var spectator in spectators)
            {
                _departedFragmentsOut += spectator.FragmentsSent;
                _departedBytesOut += spectator.BytesSent;
            }

            _spectators = [];
            _buffer.Clear();

            // From here on nobody watches the spectators finish what they were queued: leave that memory to the collector.
            _recycler.Abandon();
            _departing.Clear();
        }

        foreach (var spectator in spectators)
        {
            spectator.OnStreamEnded(reason);
        }

        _onEnded?.Invoke(this);
        return true;
    }

    // The lowest watermark of every spectator, present or departing (the caller holds _gate); departed spectators that
    // are done are forgotten. A volatile read per spectator per fragment, nothing written.
    private long LowestUnsentSequence()
    {
        _departing.RemoveAll(HasStoppedSending);
        var lowest = long.MaxValue;
        foreach (var spectator in _spectators)
        {
            lowest = Math.Min(lowest, spectator.LowestUnsentSequence);
        }

        foreach (var departing in _departing)
        {
            lowest = Math.Min(lowest, departing.LowestUnsentSequence);
        }

        return lowest;
    }

    // A spectator whose writer has stopped sends (and so holds) no fragment any more.
    private static bool HasStoppedSending(IStreamSpectator spectator) => spectator.LowestUnsentSequence == long.MaxValue;

    /// <summary>Counts a fragment a spectator dropped (slow-spectator policy).</summary>
    internal void CountDrop() => Interlocked.Increment(ref _drops);

    /// <summary>A consistent snapshot of the stream's figures.</summary>
    public LiveStreamStats GetStats()
    {
        lock (_gate)
        {
            double? age = _lastFragmentTimestamp == 0 ? null : _time.GetElapsedTime(_lastFragmentTimestamp).TotalSeconds;

            // Each spectator counts what it sent (no shared counter on the send path); the stream sums them here.
            var (fragmentsOut, bytesOut) = (_departedFragmentsOut, _departedBytesOut);
            foreach (var spectator in _spectators)
            {
                fragmentsOut += spectator.FragmentsSent;
                bytesOut += spectator.BytesSent;
            }

            return new LiveStreamStats(
                Id,
                SourceKind == StreamSourceKind.Local ? "local" : "relay",
                Upstream,
                _spectators.Length,
                _fragmentsIn,
                _bytesIn,
                fragmentsOut,
                bytesOut,
                Interlocked.Read(ref _drops),
                _evictions,
                _buffer.Count,
                _buffer.Bytes,
                age,
                CreatedAt);
        }
    }
}

/// <summary>The figures of one stream, as <c>/api/streams</c> reports them.</summary>
public sealed record LiveStreamStats(
    string StreamId,
    string Source,
    string? Upstream,
    // The wire name stays "subscribers": the console and existing dashboards read it.
    [property: JsonPropertyName("subscribers")] int Spectators,
    long FragmentsIn,
    long BytesIn,
    long FragmentsOut,
    long BytesOut,
    long Drops,
    long BufferEvictions,
    int BufferedFragments,
    long BufferedBytes,
    double? LastFragmentAgeSeconds,
    DateTimeOffset CreatedAt);
