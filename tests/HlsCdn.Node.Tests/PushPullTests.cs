using System.Net.WebSockets;
using System.Text;

namespace HlsCdn.Node.Tests;

public sealed class PushPullTests
{
    [Fact]
    public async Task Spectator_receives_every_fragment_byte_exact_with_its_duration()
    {
        await using var node = await TestNode.StartAsync();
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);

        double[] durations = [1, 2.5, 0.04, 1e-3, 6];
        for (var i = 0; i < durations.Length; i++)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(i), durations[i]);
        }

        for (var i = 0; i < durations.Length; i++)
        {
            var (duration, data) = await spectator.ReceiveFragmentAsync();
            Assert.Equal(durations[i], duration);
            Assert.Equal(TestData.Fragment(i), data);
        }
    }

    [Fact]
    public async Task Durations_are_written_in_the_shortest_float_form()
    {
        await using var node = await TestNode.StartAsync();
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await publisher.SendTextAsync("F:duration=1.000");
        await publisher.SendBinaryAsync([1]);
        Assert.Equal("F:duration=1", (await spectator.ReceiveAsync()).Text);
    }

    [Fact]
    public async Task Message_types_are_case_insensitive_and_parameters_percent_decoded()
    {
        await using var node = await TestNode.StartAsync();
        var stream = "room one/é/640x360-25~800";
        await using var publisher = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await publisher.SendTextAsync("push:stream=room+one%2F%C3%A9%2F640x360-25~800&auth=&unknown=1");
        Assert.Equal("OK", (await publisher.ReceiveAsync()).Text);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await publisher.SendTextAsync("f:duration=2");
        await publisher.SendBinaryAsync([42]);
        var (duration, data) = await spectator.ReceiveFragmentAsync();
        Assert.Equal(2, duration);
        Assert.Equal([42], data);
    }

    [Fact]
    public async Task A_joining_spectator_gets_the_buffered_fragments_then_live_ones()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(("Node:FragmentBufferMaxLength", "10")));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var first = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        for (var i = 0; i < 15; i++)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(i));
        }

        // The first spectator has seen all 15, so the node has buffered them.
        for (var i = 0; i < 15; i++)
        {
            Assert.Equal(TestData.Fragment(i), (await first.ReceiveFragmentAsync()).Data);
        }

        await using var all = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await using var three = await RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: 3);
        await using var none = await RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: 0);
        await using var huge = await RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: int.MaxValue);
        await publisher.SendFragmentAsync(TestData.Fragment(15));

        await ExpectFragments(all, 5, 15);
        await ExpectFragments(huge, 5, 15);
        await ExpectFragments(three, 12, 15);
        await ExpectFragments(none, 15, 15);
    }

    private static async Task ExpectFragments(RawPeer peer, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            Assert.Equal(TestData.Fragment(i), (await peer.ReceiveFragmentAsync()).Data);
        }
    }

    [Fact]
    public async Task Unknown_stream_answers_OK_then_CLOSE()
    {
        await using var node = await TestNode.StartAsync();
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, "nobody/publishes/this");
        await spectator.ExpectCloseAsync();
    }

    [Fact]
    public async Task Publisher_CLOSE_ends_the_stream_for_every_spectator()
    {
        await using var node = await TestNode.StartAsync();
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        var spectators = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => RawPeer.PullAsync(node.WebSocketUrl, stream)));
        await publisher.SendFragmentAsync(TestData.Fragment(1));
        await publisher.SendTextAsync("CLOSE");
        foreach (var spectator in spectators)
        {
            Assert.Equal(TestData.Fragment(1), (await spectator.ReceiveFragmentAsync()).Data);
            await spectator.ExpectCloseAsync();
            await spectator.DisposeAsync();
        }

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await publisher.ExpectEndAsync());

        // The stream is gone: a new spectator gets OK + CLOSE.
        await using var late = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await late.ExpectCloseAsync();
    }

    [Fact]
    public async Task Publisher_dropping_without_CLOSE_ends_the_stream_for_spectators()
    {
        await using var node = await TestNode.StartAsync();
        var stream = TestData.StreamId();
        var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await publisher.SendFragmentAsync(TestData.Fragment(1));
        Assert.Equal(TestData.Fragment(1), (await spectator.ReceiveFragmentAsync()).Data);
        publisher.Socket.Abort();
        publisher.Socket.Dispose();
        await spectator.ExpectCloseAsync();
    }

    [Fact]
    public async Task Second_publisher_takes_the_stream_over_and_spectators_continue()
    {
        await using var node = await TestNode.StartAsync();
        var stream = TestData.StreamId();
        await using var first = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await first.SendFragmentAsync(TestData.Fragment(1));
        Assert.Equal(TestData.Fragment(1), (await spectator.ReceiveFragmentAsync()).Data);

        await using var second = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await first.ExpectErrorAsync("PUSH_ERROR");
        await second.SendFragmentAsync(TestData.Fragment(2));
        var next = await spectator.ReceiveAsync();
        Assert.StartsWith("F:", next.Text, StringComparison.Ordinal);
        Assert.Equal(TestData.Fragment(2), (await spectator.ReceiveAsync()).Data);

        // The old publisher's departure did not end the stream; the new one's CLOSE does.
        await second.SendTextAsync("CLOSE");
        await spectator.ExpectCloseAsync();
    }

    [Fact]
    public async Task Heartbeats_after_the_handshake_are_accepted_from_publishers_and_spectators()
    {
        await using var node = await TestNode.StartAsync();
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await publisher.SendTextAsync("H");
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await spectator.SendTextAsync("H");
        await publisher.SendTextAsync("H");
        await publisher.SendFragmentAsync(Encoding.ASCII.GetBytes("ts"));
        Assert.Equal("ts"u8.ToArray(), (await spectator.ReceiveFragmentAsync()).Data);
    }
}
