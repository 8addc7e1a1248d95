using System.Buffers;

namespace HlsCdn.Node.Streams;

/// <summary>
/// A stream on this node: its current feed (publisher or relay), the ring buffer of recent fragments and the set of
/// subscribers. Fan-out enqueues the one shared <see cref="Fragment"/> into each subscriber's bounded queue and never
/// waits for any of them. No lock is held across an await: every call here is synchronous and short.
/// </summary>
public sealed class LiveStream
{
    private readonly Lock _gate = new();
    private readonly FragmentRingBuffer _buffer;
    private readonly TimeProvider _time;
    private readonly Action<LiveStream>? _onEnded;
    private IStreamSubscriber[] _subscribers = [];
    private IStreamFeed? _feed;
    private bool _ended;
    private long _nextSequence;
    private long _lastFragmentTimestamp;
    private long _fragmentsIn;
    private long _bytesIn;
    private long _departedFragmentsOut;
    private long _departedBytesOut;
    private long _drops;
    private long _evictions;

    internal LiveStream(string id, int bufferLength, BufferMemoryBudget budget, TimeProvider time, Action<LiveStream>? onEnded)
    {
        Id = id;
        _buffer = new FragmentRingBuffer(bufferLength, budget);
        _time = time;
        _onEnded = onEnded;
        CreatedAt = time.GetUtcNow();
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The current feed's kind (a stream whose feed left keeps the last kind until it ends).</summary>
    public StreamSourceKind SourceKind { get; private set; }

    public string? Upstream { get; private set; }

    public bool IsEnded
    {
        get { lock (_gate) { return _ended; } }
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Makes <paramref name="feed"/> the stream's source. The previous feed, if any, is told it was taken over.</summary>
    /// <returns>False when the stream has already ended (create a new one).</returns>
    public bool TryAttachFeed(IStreamFeed feed)
    {
        IStreamFeed? previous;
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            previous = _feed;
            _feed = feed;
            SourceKind = feed.Kind;
            Upstream = feed.Upstream;
        }

        if (previous is not null && !ReferenceEquals(previous, feed))
        {
            previous.OnTakenOver();
        }

        return true;
    }

    /// <summary>Updates the upstream URL shown in stats (a relay that failed over to another node).</summary>
    public void SetUpstream(IStreamFeed feed, string? upstream)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_feed, feed))
            {
                Upstream = upstream;
            }
        }
    }

    /// <summary>Adds a fragment from <paramref name="feed"/>, buffers it and fans it out.</summary>
    /// <returns>False when <paramref name="feed"/> is no longer the stream's source or the stream ended.</returns>
    public bool Publish(IStreamFeed feed, ReadOnlyMemory<byte> data, double durationSeconds)
    {
        lock (_gate)
        {
            if (_ended || !ReferenceEquals(_feed, feed))
            {
                return false;
            }

            var now = _time.GetTimestamp();
            var fragment = new Fragment(data, durationSeconds, _nextSequence++, now);
            _evictions += _buffer.Add(fragment, out _);
            _lastFragmentTimestamp = now;
            _fragmentsIn++;
            _bytesIn += data.Length;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Enqueue(fragment);
            }

            return true;
        }
    }

    /// <summary>Adds a subscriber and queues for it the newest <paramref name="maxInitialFragments"/> buffered fragments (all when null).</summary>
    /// <returns>False when the stream has ended.</returns>
    public bool TryAddSubscriber(IStreamSubscriber subscriber, int? maxInitialFragments)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            _subscribers = [.. _subscribers, subscriber];
            var wanted = Math.Clamp(maxInitialFragments ?? int.MaxValue, 0, _buffer.Count);
            if (wanted > 0)
            {
                var initial = ArrayPool<Fragment>.Shared.Rent(wanted);
                try
                {
                    var n = _buffer.CopyNewest(wanted, initial);
                    for (var i = 0; i < n; i++)
                    {
                        subscriber.Enqueue(initial[i]);
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

    /// <summary>Removes a subscriber (it left).</summary>
    public void RemoveSubscriber(IStreamSubscriber subscriber)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscriber);
            if (index < 0)
            {
                return;
            }

            _departedFragmentsOut += subscriber.FragmentsSent;
            _departedBytesOut += subscriber.BytesSent;
            var next = new IStreamSubscriber[_subscribers.Length - 1];
            Array.Copy(_subscribers, 0, next, 0, index);
            Array.Copy(_subscribers, index + 1, next, index, _subscribers.Length - index - 1);
            _subscribers = next;
        }
    }

    /// <summary>
    /// Ends the stream if <paramref name="feed"/> is still its source (any feed when null): every subscriber gets
    /// <c>CLOSE</c> after what is queued for it, the buffer's memory is released.
    /// </summary>
    public bool End(IStreamFeed? feed, StreamEndReason reason)
    {
        IStreamSubscriber[] subscribers;
        lock (_gate)
        {
            if (_ended || (feed is not null && !ReferenceEquals(_feed, feed)))
            {
                return false;
            }

            _ended = true;
            _feed = null;
            subscribers = _subscribers;
            foreach (var subscriber in subscribers)
            {
                _departedFragmentsOut += subscriber.FragmentsSent;
                _departedBytesOut += subscriber.BytesSent;
            }

            _subscribers = [];
            _buffer.Clear();
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.OnStreamEnded(reason);
        }

        _onEnded?.Invoke(this);
        return true;
    }

    /// <summary>Counts a fragment a subscriber dropped (slow-subscriber policy).</summary>
    internal void CountDrop() => Interlocked.Increment(ref _drops);

    /// <summary>A consistent snapshot of the stream's figures.</summary>
    public LiveStreamStats GetStats()
    {
        lock (_gate)
        {
            double? age = _lastFragmentTimestamp == 0 ? null : _time.GetElapsedTime(_lastFragmentTimestamp).TotalSeconds;

            // Each spectator counts what it sent (no shared counter on the send path); the stream sums them here.
            var (fragmentsOut, bytesOut) = (_departedFragmentsOut, _departedBytesOut);
            foreach (var subscriber in _subscribers)
            {
                fragmentsOut += subscriber.FragmentsSent;
                bytesOut += subscriber.BytesSent;
            }

            return new LiveStreamStats(
                Id,
                SourceKind == StreamSourceKind.Local ? "local" : "relay",
                Upstream,
                _subscribers.Length,
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
    int Subscribers,
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
