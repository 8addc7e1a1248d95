namespace HlsCdn.Node.Streams;

/// <summary>
/// The last N fragments of a stream, for spectators that join. Not thread-safe: its <see cref="LiveStream"/> guards it.
/// Every fragment kept is reserved in the node's <see cref="BufferMemoryBudget"/>; when the budget is spent the
/// oldest fragments of this buffer go first, and a fragment that still does not fit is delivered live but not kept.
/// Each fragment it lets go of, oldest first, is handed to <c>onRemoved</c>.
/// </summary>
internal sealed class FragmentRingBuffer(int capacity, BufferMemoryBudget budget, Action<Fragment> onRemoved)
{
    private readonly Fragment?[] _items = new Fragment?[Math.Max(capacity, 0)];
    private int _start;

    public int Count { get; private set; }

    public long Bytes { get; private set; }

    public int Capacity => _items.Length;

    /// <summary>Keeps <paramref name="fragment"/>, evicting as needed. Returns how many were evicted for memory (not for length).</summary>
    public int Add(Fragment fragment, out bool kept)
    {
        kept = false;
        if (_items.Length == 0)
        {
            return 0;
        }

        if (Count == _items.Length)
        {
            RemoveOldest();
        }

        var evictedForMemory = 0;
        while (!budget.TryReserve(fragment.Size))
        {
            if (Count == 0)
            {
                return evictedForMemory;
            }

            RemoveOldest();
            evictedForMemory++;
        }

        _items[(_start + Count) % _items.Length] = fragment;
        Count++;
        Bytes += fragment.Size;
        kept = true;
        return evictedForMemory;
    }

    /// <summary>Copies the newest <paramref name="max"/> fragments, oldest first, into <paramref name="destination"/>.</summary>
    public int CopyNewest(int max, Span<Fragment> destination)
    {
        var n = Math.Min(Math.Min(max, Count), destination.Length);
        for (var i = 0; i < n; i++)
        {
            destination[i] = _items[(_start + Count - n + i) % _items.Length]!;
        }

        return n;
    }

    /// <summary>Lets go of every fragment, releasing their memory.</summary>
    public void Clear()
    {
        while (Count > 0)
        {
            RemoveOldest();
        }
    }

    private void RemoveOldest()
    {
        var oldest = _items[_start]!;
        _items[_start] = null;
        _start = (_start + 1) % _items.Length;
        Count--;
        Bytes -= oldest.Size;
        budget.Release(oldest.Size);
        onRemoved(oldest);
    }
}
