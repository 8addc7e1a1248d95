namespace HlsCdn.Node.Streams;

/// <summary>
/// The node-wide cap on bytes held in stream buffers (the memory limiter). Buffers reserve before keeping a fragment
/// and release when they let it go; when the budget is spent they keep fewer fragments, never fail.
/// </summary>
public sealed class BufferMemoryBudget(long limitBytes)
{
    private long _used;

    /// <summary>The cap in bytes (<see cref="long.MaxValue"/> when the limiter is off).</summary>
    public long LimitBytes { get; } = limitBytes > 0 ? limitBytes : throw new ArgumentOutOfRangeException(nameof(limitBytes));

    /// <summary>Bytes currently reserved.</summary>
    public long UsedBytes => Interlocked.Read(ref _used);

    /// <summary>Reserves <paramref name="bytes"/> if they fit under the cap.</summary>
    public bool TryReserve(long bytes)
    {
        while (true)
        {
            var used = Interlocked.Read(ref _used);
            var next = used + bytes;
            if (next > LimitBytes)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, next, used) == used)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back bytes reserved earlier.</summary>
    public void Release(long bytes) => Interlocked.Add(ref _used, -bytes);
}
