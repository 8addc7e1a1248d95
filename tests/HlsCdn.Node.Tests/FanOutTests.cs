using System.Diagnostics;
using System.Net.WebSockets;
using HlsCdn.Node.Streams;

namespace HlsCdn.Node.Tests;

public sealed class FanOutTests
{
    [Fact]
    public async Task Hundred_concurrent_spectators_each_receive_every_fragment_in_order_byte_exact()
    {
        const int Spectators = 100;
        const int Fragments = 20;

        // The publisher bursts all fragments at once: queues long enough for the burst, so no policy drop applies.
        await using var node = await TestNode.StartAsync(TestData.Settings(("Node:SubscriberQueueLength", "32")));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        var peers = await Task.WhenAll(Enumerable.Range(0, Spectators).Select(_ => RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: 0)));
        try
        {
            var receivers = peers.Select(async peer =>
            {
                for (var i = 0; i < Fragments; i++)
                {
                    var (duration, data) = await peer.ReceiveFragmentAsync();
                    Assert.Equal(i + 1, duration);
                    Assert.Equal(TestData.Fragment(i, 50_000), data);
                }

                await peer.ExpectCloseAsync();
            }).ToArray();
            for (var i = 0; i < Fragments; i++)
            {
                await publisher.SendFragmentAsync(TestData.Fragment(i, 50_000), i + 1);
            }

            // On plain ws:// every connection (publisher and spectators) writes its frames straight to its socket.
            var connections = node.Get<HlsCdn.Node.Connections.ConnectionTracker>().Connections;
            Assert.Equal(Spectators + 1, connections.Count);
            Assert.All(connections, c => Assert.True(c.WritesToSocket));

            await publisher.SendTextAsync("CLOSE");
            await Task.WhenAll(receivers);
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Pooled_fragment_memory_is_reused_only_once_no_spectator_can_still_send_it()
    {
        const int Fragments = 60;
        const int Size = 256 * 1024;

        // A short buffer, so fragments retire early; queues long enough that no policy drop applies.
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:FragmentBufferMaxLength", "2"),
            ("Node:SpectatorQueueLength", "64")));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        var steady = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: 0)));
        await using var paused = await RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: 0);
        var leaving = await RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: 0);
        var late = new List<RawPeer>();
        var resume = new TaskCompletionSource();
        try
        {
            async Task ReceiveAsync(RawPeer peer, int from, int to)
            {
                for (var i = from; i < to; i++)
                {
                    Assert.Equal(TestData.Fragment(i, Size), (await peer.ReceiveFragmentAsync()).Data);
                }
            }

            // This one stops reading for most of the stream: its socket buffers fill, its writer waits on a send and
            // its queue holds the rest, while the others go on and the stream reuses the memory they are done with.
            var pausedReads = Task.Run(async () =>
            {
                await ReceiveAsync(paused, 0, 5);
                await resume.Task;
                await ReceiveAsync(paused, 5, Fragments);
                await paused.ExpectCloseAsync();
            }, TestContext.Current.CancellationToken);
            var leavingReads = Task.Run(async () =>
            {
                await ReceiveAsync(leaving, 0, 10);
                await leaving.DisposeAsync(); // leaves mid-stream, maybe while a send to it is under way
            }, TestContext.Current.CancellationToken);
            var lateReads = new List<Task>();
            for (var i = 0; i < Fragments; i++)
            {
                await publisher.SendFragmentAsync(TestData.Fragment(i, Size));
                foreach (var peer in steady)
                {
                    Assert.Equal(TestData.Fragment(i, Size), (await peer.ReceiveFragmentAsync()).Data);
                }

                if (i is 20 or 40)
                {
                    // Joins with the two buffered fragments, i - 1 and i, then gets the rest live.
                    var joiner = await RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: 2);
                    late.Add(joiner);
                    var first = i - 1;
                    lateReads.Add(Task.Run(() => ReceiveAsync(joiner, first, Fragments), TestContext.Current.CancellationToken));
                }
            }

            Assert.True(node.Get<StreamDirectory>().TryGet(stream, out var live));
            Assert.True(live.RecycledFragments > 0, "no fragment memory was reused: the test would prove nothing");
            resume.SetResult();
            await leavingReads;
            await Task.WhenAll(lateReads);
            await publisher.SendTextAsync("CLOSE");
            await pausedReads;
            foreach (var peer in steady)
            {
                await peer.ExpectCloseAsync();
            }
        }
        finally
        {
            resume.TrySetResult();
            foreach (var peer in steady.Concat(late))
            {
                await peer.DisposeAsync();
            }

            await leaving.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stalled_spectator_holds_up_neither_the_others_nor_their_CLOSE()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:SendTimeout", "00:00:02"),
            ("Node:SubscriberQueueLength", "4")));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);

        // This one never reads: once the socket buffers are full its sends block.
        await using var stalled = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        var healthy = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RawPeer.PullAsync(node.WebSocketUrl, stream)));
        const int Fragments = 40;
        const int Size = 1 << 20;

        // Paced on the healthy spectators (a publisher sends about one fragment a second, not a burst), so only the
        // stalled one falls behind: its socket buffers and then its queue fill up while the others keep going.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Fragments; i++)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(i, Size));
            foreach (var peer in healthy)
            {
                Assert.Equal(TestData.Fragment(i, Size), (await peer.ReceiveFragmentAsync()).Data);
            }
        }

        await publisher.SendTextAsync("CLOSE");
        foreach (var peer in healthy)
        {
            await peer.ExpectCloseAsync();
        }

        TestContext.Current.SendDiagnosticMessage($"healthy spectators got 40 MiB and CLOSE in {clock.ElapsedMilliseconds} ms beside a stalled one");

        // The stalled spectator lost fragments (policy DropOldest) and is cut off by the send timeout.
        var stats = node.Get<StreamDirectory>().TryGet(stream, out var s) ? s.GetStats() : null;
        Assert.True(stats is null || stats.Drops > 0);
        var end = await DrainUntilEnd(stalled);
        Assert.True(end.Fragments < Fragments, $"the stalled spectator should have lost fragments, got {end.Fragments}");
        foreach (var peer in healthy)
        {
            await peer.DisposeAsync();
        }
    }

    private static async Task<(int Fragments, bool Closed)> DrainUntilEnd(RawPeer peer)
    {
        var fragments = 0;
        while (true)
        {
            var received = await peer.ReceiveAsync(TimeSpan.FromSeconds(20));
            if (received.IsClose || received.Text == "CLOSE")
            {
                return (fragments, true);
            }

            if (received.Data is not null)
            {
                fragments++;
            }
        }
    }

    [Fact]
    public async Task Policy_Disconnect_cuts_off_a_spectator_that_cannot_keep_up()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:SlowSubscriberPolicy", "Disconnect"),
            ("Node:SubscriberQueueLength", "2"),
            ("Node:FragmentBufferMaxLength", "1")));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var slow = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await using var fine = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        // Paced on the healthy spectator: it never has more than one fragment queued; the slow one never reads.
        for (var i = 0; i < 30; i++)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(i, 1 << 20));
            Assert.Equal(TestData.Fragment(i, 1 << 20), (await fine.ReceiveFragmentAsync()).Data);
        }

        RawPeer.Received received;
        var slowFragments = 0;
        do
        {
            received = await slow.ReceiveAsync();
            slowFragments += received.Data is null ? 0 : 1;
        }
        while (received.Text is not null && received.Text.StartsWith("F:", StringComparison.Ordinal) || received.Data is not null);
        Assert.True(received.Text?.StartsWith("E:", StringComparison.Ordinal) == true || received.IsClose, $"expected E or an end, got {received}");
        if (received.Text is not null)
        {
            Assert.Contains("SLOW_SUBSCRIBER", received.Text, StringComparison.Ordinal);
        }

        Assert.True(slowFragments < 30);
        Assert.Equal(WebSocketState.Open, publisher.Socket.State);
    }
}
