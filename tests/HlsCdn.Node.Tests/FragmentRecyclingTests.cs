using System.Buffers;
using System.Numerics;
using HlsCdn.Node.Streams;

namespace HlsCdn.Node.Tests;

/// <summary>
/// The stream's reuse of pooled fragment memory (no sockets): an array goes back to the pool only once the buffer let
/// go of its fragment and no spectator, present or departed, can still send it; when the stream cannot tell, never.
/// </summary>
public sealed class FragmentRecyclingTests
{
    private const int BufferLength = 3;

    [Fact]
    public void A_fragments_array_goes_back_once_the_buffer_let_it_go_and_every_spectator_sent_it()
    {
        var (stream, source, pool) = Start();
        var spectator = Join(stream, 0);
        var arrays = new List<byte[]>();
        for (var i = 0; i < BufferLength; i++)
        {
            arrays.Add(PublishRented(stream, source, i));
            spectator.Sent(i);
        }

        Assert.Empty(pool.Returned); // all still buffered, for spectators that join

        arrays.Add(PublishRented(stream, source, 3)); // evicts fragment 0, which the spectator sent
        Assert.Equal([arrays[0]], pool.Returned);
        Assert.Equal(1, stream.RecycledFragments);
    }

    [Fact]
    public void Not_while_a_spectator_may_still_send_it()
    {
        var (stream, source, pool) = Start();
        var fast = Join(stream, 0);
        var slow = Join(stream, 0);
        var arrays = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            arrays.Add(PublishRented(stream, source, i));
            fast.Sent(i);
        }

        slow.Sent(0); // it is still sending fragment 1
        Assert.Empty(pool.Returned);

        slow.Sent(2);
        arrays.Add(PublishRented(stream, source, 6)); // evicts 3; 0, 1 and 2 can go, 3 cannot yet
        Assert.Equal(arrays[..3], pool.Returned);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), slow.Queued);
    }

    [Fact]
    public void A_departed_spectator_holds_what_it_may_still_send_until_it_is_done()
    {
        var (stream, source, pool) = Start();
        var leaving = Join(stream, 0);
        var arrays = new List<byte[]> { PublishRented(stream, source, 0) };
        stream.RemoveSpectator(leaving); // its writer may still be sending fragment 0
        for (var i = 1; i <= BufferLength; i++)
        {
            arrays.Add(PublishRented(stream, source, i));
        }

        Assert.Empty(pool.Returned);

        leaving.Done();
        arrays.Add(PublishRented(stream, source, 4));
        Assert.Equal(arrays[..2], pool.Returned);
    }

    [Fact]
    public void A_joining_spectator_holds_the_buffered_fragments_it_was_given()
    {
        var (stream, source, pool) = Start();
        var arrays = Enumerable.Range(0, BufferLength).Select(i => PublishRented(stream, source, i)).ToList();
        var late = Join(stream, 2);
        Assert.Equal([1L, 2L], late.Queued);
        Assert.Equal(1, late.LowestUnsentSequence);

        arrays.Add(PublishRented(stream, source, 3)); // evicts 0, which the late spectator was not given
        arrays.Add(PublishRented(stream, source, 4)); // evicts 1, which it has yet to send
        Assert.Equal([arrays[0]], pool.Returned);

        late.Sent(1);
        arrays.Add(PublishRented(stream, source, 5));
        Assert.Equal(arrays[..2], pool.Returned);
    }

    [Fact]
    public void A_spectator_joining_with_no_fragments_holds_none_of_the_earlier_ones()
    {
        var (stream, source, pool) = Start();
        var arrays = Enumerable.Range(0, BufferLength).Select(i => PublishRented(stream, source, i)).ToList();
        var joined = Join(stream, 0);
        Assert.Equal(BufferLength, joined.LowestUnsentSequence);

        arrays.Add(PublishRented(stream, source, 3));
        Assert.Equal([arrays[0]], pool.Returned);
    }

    [Fact]
    public void A_refused_fragment_goes_back_at_once_and_an_ended_stream_returns_nothing_more()
    {
        var (stream, source, pool) = Start();
        var spectator = Join(stream, 0);
        for (var i = 0; i < BufferLength + 1; i++)
        {
            PublishRented(stream, source, i);
        }

        Assert.True(stream.End(source, LiveStreamEndReason.Closed));
        spectator.Done();
        var refused = stream.RentFragment(10);
        Assert.False(stream.PublishRented(source, refused, 10, 1));
        Assert.Equal([refused], pool.Returned); // the spectator may have been sending 0..3: none of those went back
    }

    [Fact]
    public void A_spectator_far_behind_makes_the_stream_leave_old_fragments_to_the_collector()
    {
        var (stream, source, pool) = Start();
        var stuck = Join(stream, 0);
        var count = BufferLength + LiveStream.MinRetiredFragments + 5;
        var arrays = Enumerable.Range(0, count).Select(i => PublishRented(stream, source, i)).ToList();
        Assert.Empty(pool.Returned);

        stuck.Done();
        PublishRented(stream, source, count);

        // Only the newest MinRetiredFragments retired ones were still waited on; the older ones were forgotten.
        var retired = count + 1 - BufferLength;
        Assert.Equal(arrays[(retired - LiveStream.MinRetiredFragments)..retired], pool.Returned);
    }

    [Fact]
    public void Memory_the_collector_owns_never_goes_to_the_pool()
    {
        var (stream, source, pool) = Start();
        Join(stream, 0).Done();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(stream.Publish(source, new byte[] { (byte)i }, 1));
        }

        Assert.Empty(pool.Returned);
    }

    [Fact]
    public void A_pooled_fragment_counts_its_whole_array_in_the_buffer_memory()
    {
        var (stream, source, _) = Start();
        var array = stream.RentFragment(100);
        Assert.True(stream.PublishRented(source, array, 100, 1));
        Assert.Equal(128, array.Length);
        var buffered = stream.GetStats().BufferedBytes;
        Assert.True(buffered > array.Length, $"buffered {buffered} bytes for a {array.Length}-byte array");
    }

    private static (LiveStream Stream, Source Source, RecordingPool Pool) Start()
    {
        var pool = new RecordingPool();
        var stream = new LiveStream("s", BufferLength, new BufferMemoryBudget(long.MaxValue), TimeProvider.System, null, 1, pool);
        var source = new Source();
        Assert.True(stream.TryAttachSource(source));
        return (stream, source, pool);
    }

    private static WatermarkSpectator Join(LiveStream stream, int maxInitialFragments)
    {
        var spectator = new WatermarkSpectator();
        Assert.True(stream.TryAddSpectator(spectator, maxInitialFragments));
        return spectator;
    }

    private static byte[] PublishRented(LiveStream stream, Source source, int index)
    {
        var array = stream.RentFragment(100);
        array[0] = (byte)index;
        Assert.True(stream.PublishRented(source, array, 100, 1));
        return array;
    }

    private sealed class RecordingPool : ArrayPool<byte>
    {
        public List<byte[]> Returned { get; } = [];

        // Like the shared pool: arrays a power of two long.
        public override byte[] Rent(int minimumLength) => new byte[BitOperations.RoundUpToPowerOf2((uint)minimumLength)];

        public override void Return(byte[] array, bool clearArray = false) => Returned.Add(array);
    }

    private sealed class Source : IStreamSource
    {
        public StreamSourceKind Kind => StreamSourceKind.Local;

        public string? Upstream => null;

        public void OnTakenOver()
        {
        }
    }

    // Stands for a spectator's writer: it is told when it sent a fragment, or stopped.
    private sealed class WatermarkSpectator : IStreamSpectator
    {
        private long _lowestUnsent = long.MaxValue;

        public List<long> Queued { get; } = [];

        public long LowestUnsentSequence => _lowestUnsent;

        public long FragmentsSent => 0;

        public long BytesSent => 0;

        public void JoinedAt(long sequence) => _lowestUnsent = sequence;

        public void Enqueue(Fragment fragment) => Queued.Add(fragment.Sequence);

        public void OnStreamEnded(LiveStreamEndReason reason)
        {
        }

        public void Sent(long sequence) => _lowestUnsent = sequence + 1;

        public void Done() => _lowestUnsent = long.MaxValue;
    }
}
