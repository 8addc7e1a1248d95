using HlsCdn.Node.Streams;

namespace HlsCdn.Node.Tests;

public sealed class MemoryLimiterTests
{
    [Fact]
    public async Task Buffers_stay_within_the_budget_and_live_delivery_continues()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:BufferMemoryLimiterEnabled", "true"),
            ("Node:BufferMemoryLimitMB", "1"),
            ("Node:FragmentBufferMaxLength", "10")));
        var budget = node.Get<BufferMemoryBudget>();
        var streams = new[] { TestData.StreamId(), TestData.StreamId() };
        var publishers = await Task.WhenAll(streams.Select(s => RawPeer.PushAsync(node.WebSocketUrl, s)));
        var spectators = await Task.WhenAll(streams.Select(s => RawPeer.PullAsync(node.WebSocketUrl, s)));
        const int Size = 300_000;
        for (var i = 0; i < 10; i++)
        {
            for (var p = 0; p < publishers.Length; p++)
            {
                await publishers[p].SendFragmentAsync(TestData.Fragment(i + (p * 100), Size));
                Assert.Equal(TestData.Fragment(i + (p * 100), Size), (await spectators[p].ReceiveFragmentAsync()).Data);
                Assert.True(budget.UsedBytes <= budget.LimitBytes, $"buffers hold {budget.UsedBytes} bytes, over the {budget.LimitBytes} budget");
            }
        }

        var stats = node.Get<StreamDirectory>().Streams.Select(s => s.GetStats()).ToList();
        Assert.All(stats, s => Assert.True(s.BufferedFragments < 10));
        Assert.True(stats.Sum(s => s.BufferEvictions) > 0);

        // A new spectator still gets what is buffered, then live fragments.
        await using var late = await RawPeer.PullAsync(node.WebSocketUrl, streams[0]);
        var buffered = stats.Single(s => s.StreamId == streams[0]).BufferedFragments;
        for (var i = 0; i < buffered; i++)
        {
            await late.ReceiveFragmentAsync();
        }

        await publishers[0].SendFragmentAsync(TestData.Fragment(99, Size));
        Assert.Equal(TestData.Fragment(99, Size), (await late.ReceiveFragmentAsync()).Data);

        foreach (var peer in publishers.Concat(spectators))
        {
            await peer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ended_streams_release_their_buffer_memory()
    {
        await using var node = await TestNode.StartAsync();
        var budget = node.Get<BufferMemoryBudget>();
        var stream = TestData.StreamId();
        await using (var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream))
        {
            for (var i = 0; i < 5; i++)
            {
                await publisher.SendFragmentAsync(TestData.Fragment(i, 10_000));
            }

            await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
            for (var i = 0; i < 5; i++)
            {
                await spectator.ReceiveFragmentAsync();
            }

            Assert.True(budget.UsedBytes >= 50_000);
            await publisher.SendTextAsync("CLOSE");
            await spectator.ExpectCloseAsync();
        }

        Assert.Equal(0, budget.UsedBytes);
        Assert.Equal(0, node.Get<StreamDirectory>().Count);
    }
}
