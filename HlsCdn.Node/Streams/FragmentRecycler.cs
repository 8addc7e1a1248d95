using System.Buffers;

namespace HlsCdn.Node.Streams;

/// <summary>
/// Gives a stream's pooled fragment memory back to its pool, and only once no spectator can still send it. A fragment
/// retires when the stream's buffer lets it go; its array goes back once every spectator's
/// <see cref="IStreamSpectator.LowestUnsentSequence"/> has passed it. Spectators only publish that watermark, each in a
/// field of its own: nothing shared is counted per spectator per fragment. When in doubt (a spectator stuck on an old
/// fragment, more retired fragments than <c>capacity</c>, the stream ended) a fragment is left to the garbage collector
/// instead: never reused too early, at worst allocated anew. Not thread-safe: its <see cref="LiveStream"/> guards it.
/// </summary>
internal sealed class FragmentRecycler(ArrayPool<byte> pool, int capacity)
{
    private readonly Queue<Fragment> _retired = new();

    /// <summary>Retired fragments whose memory has not gone back yet.</summary>
    public int Count => _retired.Count;

    /// <summary>Fragments whose memory went back to the pool.</summary>
    public long Recycled { get; private set; }

    /// <summary>The stream let go of <paramref name="fragment"/> (fragments retire in sequence order).</summary>
    public void Retire(Fragment fragment)
    {
        if (fragment.RentedArray is null)
        {
            return;
        }

        if (_retired.Count >= capacity)
        {
            _retired.Dequeue(); // left to the collector: some spectator is far behind
        }

        _retired.Enqueue(fragment);
    }

    /// <summary>Returns the memory of every retired fragment older than <paramref name="lowestUnsent"/> (the lowest watermark of all spectators).</summary>
    public void Recycle(long lowestUnsent)
    {
        while (_retired.TryPeek(out var oldest) && oldest.Sequence < lowestUnsent)
        {
            _retired.Dequeue();
            pool.Return(oldest.RentedArray!);
            Recycled++;
        }
    }

    /// <summary>Leaves every retired fragment to the collector (the stream ended and stops watching its spectators).</summary>
    public void Abandon() => _retired.Clear();
}
