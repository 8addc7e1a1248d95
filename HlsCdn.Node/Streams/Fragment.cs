using HlsCdn.Protocol;

namespace HlsCdn.Node.Streams;

/// <summary>
/// One fragment (an MPEG-TS HLS segment) as it travels through a node: its bytes are stored once and shared,
/// read-only, by the stream's buffer and every spectator's queue; the <c>F:duration=D</c> header is encoded once too.
/// </summary>
public sealed class Fragment
{
    public Fragment(ReadOnlyMemory<byte> data, double durationSeconds, long sequence, long receivedTimestamp)
        : this(data, durationSeconds, sequence, receivedTimestamp, rentedArray: null)
    {
    }

    /// <param name="data">The fragment's bytes.</param>
    /// <param name="durationSeconds">Its duration.</param>
    /// <param name="sequence">Its position in its stream.</param>
    /// <param name="receivedTimestamp">When the node received it.</param>
    /// <param name="rentedArray">The pooled array <paramref name="data"/> lies in, which its stream returns to the pool
    /// once no spectator can still send it (see <see cref="FragmentRecycler"/>); null for memory the collector owns.</param>
    internal Fragment(ReadOnlyMemory<byte> data, double durationSeconds, long sequence, long receivedTimestamp, byte[]? rentedArray)
    {
        if (data.IsEmpty)
        {
            throw new ArgumentException("A fragment cannot be empty.", nameof(data));
        }

        if (!double.IsFinite(durationSeconds) || durationSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "Duration must be a positive, finite number of seconds.");
        }

        Data = data;
        DurationSeconds = durationSeconds;
        Sequence = sequence;
        ReceivedTimestamp = receivedTimestamp;
        RentedArray = rentedArray;
        Frames = WebSocketFrame.TextThenBinaryHeader(Messages.Fragment(durationSeconds), data.Length);
    }

    /// <summary>The fragment's bytes (MPEG-TS).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The fragment's duration in seconds.</summary>
    public double DurationSeconds { get; }

    /// <summary>The position of this fragment in its stream on this node (0, 1, 2, ...).</summary>
    public long Sequence { get; }

    /// <summary>When the node received it (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long ReceivedTimestamp { get; }

    /// <summary>
    /// What a node writes in front of <see cref="Data"/> to a spectator: the whole <c>F:duration=D</c> text frame and
    /// the binary frame's header, encoded once per fragment and shared by every spectator.
    /// </summary>
    public ReadOnlyMemory<byte> Frames { get; }

    /// <summary>The pooled array <see cref="Data"/> lies in, or null when the collector owns it.</summary>
    internal byte[]? RentedArray { get; }

    /// <summary>
    /// Bytes of memory this fragment holds: its payload (the whole pooled array when it has one: a pool hands out
    /// arrays a power of two long, so a 300 KB fragment holds 512 KiB) and its headers. The memory limiter counts this.
    /// </summary>
    public long Size => (RentedArray?.Length ?? Data.Length) + Frames.Length;
}
