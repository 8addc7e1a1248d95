using HlsCdn.Node.Streams;

namespace HlsCdn.Node.Tests;

/// <summary>The stream's fan-out itself (no sockets): every spectator gets every fragment once and in order, on one lane or several.</summary>
public sealed class LiveStreamFanOutTests
{
    [Theory]
    [InlineData(1, 300)]
    [InlineData(4, 1100)]
    public async Task Every_spectator_gets_every_fragment_once_in_order_while_others_join_and_leave(int lanes, int spectators)
    {
        const int Fragments = 60;
        var stream = new LiveStream("s", 10, new BufferMemoryBudget(long.MaxValue), TimeProvider.System, null, lanes);
        var source = new Source();
        Assert.True(stream.TryAttachSource(source));
        var steady = Enumerable.Range(0, spectators).Select(_ => new RecordingSpectator()).ToArray();
        foreach (var spectator in steady)
        {
            Assert.True(stream.TryAddSpectator(spectator, 0));
        }

        // Spectators come and go while fragments flow: fan-outs run outside the state lock.
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var passing = new RecordingSpectator();
                stream.TryAddSpectator(passing, 0);
                stream.RemoveSpectator(passing);
            }
        }, TestContext.Current.CancellationToken);
        for (var i = 0; i < Fragments; i++)
        {
            Assert.True(stream.Publish(source, new byte[] { (byte)i }, 1));
        }

        await stop.CancelAsync();
        await churn;
        Assert.All(steady, spectator => Assert.Equal(Enumerable.Range(0, Fragments).Select(i => (long)i), spectator.Sequences));
    }

    [Fact]
    public void A_spectator_joining_mid_stream_gets_the_buffered_fragments_then_the_live_ones_in_order()
    {
        var stream = new LiveStream("s", 10, new BufferMemoryBudget(long.MaxValue), TimeProvider.System, null, 4);
        var source = new Source();
        Assert.True(stream.TryAttachSource(source));
        for (var i = 0; i < 5; i++)
        {
            stream.Publish(source, new byte[] { (byte)i }, 1);
        }

        var late = new RecordingSpectator();
        Assert.True(stream.TryAddSpectator(late, 2));
        stream.Publish(source, new byte[] { 5 }, 1);
        Assert.Equal([3L, 4L, 5L], late.Sequences);
    }

    [Theory]
    [InlineData(1, 8, 1)]
    [InlineData(255, 8, 1)]
    [InlineData(512, 8, 2)]
    [InlineData(1000, 1, 1)]
    [InlineData(100_000, 8, 8)]
    public void A_lane_takes_at_least_MinSpectatorsPerLane_spectators(int spectators, int most, int expected) =>
        Assert.Equal(expected, LiveStream.LanesFor(spectators, most));

    private sealed class Source : IStreamSource
    {
        public StreamSourceKind Kind => StreamSourceKind.Local;

        public string? Upstream => null;

        public void OnTakenOver()
        {
        }
    }

    private sealed class RecordingSpectator : IStreamSpectator
    {
        private readonly List<long> _sequences = [];

        public IReadOnlyList<long> Sequences
        {
            get
            {
                lock (_sequences)
                {
                    return [.. _sequences];
                }
            }
        }

        public void Enqueue(Fragment fragment)
        {
            lock (_sequences)
            {
                _sequences.Add(fragment.Sequence);
            }
        }

        public void OnStreamEnded(LiveStreamEndReason reason)
        {
        }

        public long LowestUnsentSequence => long.MaxValue;

        public void JoinedAt(long sequence)
        {
        }

        public long FragmentsSent => 0;

        public long BytesSent => 0;
    }
}
