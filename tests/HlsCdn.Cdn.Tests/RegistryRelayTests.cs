using System.Diagnostics;
using System.Net.WebSockets;

namespace HlsCdn.Cdn.Tests;

/// <summary>Multi-node scenarios, each against a real Redis-protocol server of both kinds.</summary>
public sealed class RegistryRelayTests
{
    public static TheoryData<string> Registries => new() { "redis-server", "garnet" };

    private static async Task<RawPeer> PublishAsync(TestNode node, string stream) =>
        await RawPeer.PushAsync(node.WebSocketUrl, stream, Cluster.PushToken(stream));

    private static async Task<RawPeer> WatchAsync(TestNode node, string stream, int? maxInitial = null) =>
        await RawPeer.PullAsync(node.WebSocketUrl, stream, Cluster.PullToken(stream), maxInitial);

    [Theory]
    [MemberData(nameof(Registries))]
    public async Task Stream_pushed_on_a_publish_node_plays_from_an_edge_through_the_registry(string kind)
    {
        await using var registry = await RegistryServer.StartAsync(kind);
        await using var cluster = new Cluster(registry);
        var a = await cluster.StartPublishNodeAsync();
        var edge = await cluster.StartGatewayAsync();
        var stream = TestData.StreamId();
        await using var publisher = await PublishAsync(a, stream);
        await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) == a.WebSocketUrl.ToString(), "the stream is announced");

        await publisher.SendFragmentAsync(TestData.Fragment(0));
        await using var spectator = await WatchAsync(edge, stream);
        Assert.Equal(TestData.Fragment(0), (await spectator.ReceiveFragmentAsync()).Data);
        var hops = new List<double>();
        for (var i = 1; i <= 20; i++)
        {
            var hop = Stopwatch.StartNew();
            await publisher.SendFragmentAsync(TestData.Fragment(i, 100_000));
            Assert.Equal(TestData.Fragment(i, 100_000), (await spectator.ReceiveFragmentAsync()).Data);
            hops.Add(hop.Elapsed.TotalMilliseconds);
        }

        hops.Sort();
        TestContext.Current.SendDiagnosticMessage($"[{kind}] publisher → publish node → edge → spectator, 100 kB fragments, loopback: median {hops[10]:F2} ms, max {hops[^1]:F2} ms over 20");

        var stats = (await cluster.StreamsAsync(edge)).Single();
        Assert.Equal("relay", stats.GetProperty("source").GetString());
        Assert.Equal(a.WebSocketUrl.ToString(), stats.GetProperty("upstream").GetString());
        Assert.Equal(1, stats.GetProperty("subscribers").GetInt32());
        Assert.Equal(21, stats.GetProperty("fragmentsIn").GetInt64());
        var origin = (await cluster.StreamsAsync(a)).Single();
        Assert.Equal("local", origin.GetProperty("source").GetString());
        Assert.Equal(1, origin.GetProperty("subscribers").GetInt32());
        Assert.Equal(1, (await cluster.NodeAsync(edge)).GetProperty("relayStreams").GetInt32());
    }

    [Fact]
    public async Task Publish_gateway_edge_chain_relays_and_CLOSE_reaches_every_spectator()
    {
        await using var registry = await RegistryServer.StartAsync("garnet");
        await using var cluster = new Cluster(registry);
        var a = await cluster.StartPublishNodeAsync();
        var gateway = await cluster.StartGatewayAsync();
        var edges = new[] { await cluster.StartEdgeAsync(gateway), await cluster.StartEdgeAsync(gateway) };
        var stream = TestData.StreamId();
        await using var publisher = await PublishAsync(a, stream);
        await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) is not null, "the stream is announced");
        await publisher.SendFragmentAsync(TestData.Fragment(0));

        var spectators = new List<RawPeer> { await WatchAsync(a, stream), await WatchAsync(gateway, stream) };
        foreach (var edge in edges)
        {
            spectators.Add(await WatchAsync(edge, stream));
            spectators.Add(await WatchAsync(edge, stream));
        }

        foreach (var spectator in spectators)
        {
            Assert.Equal(TestData.Fragment(0), (await spectator.ReceiveFragmentAsync()).Data);
        }

        for (var i = 1; i <= 3; i++)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(i), 1.5);
        }

        await publisher.SendTextAsync("CLOSE");
        foreach (var spectator in spectators)
        {
            for (var i = 1; i <= 3; i++)
            {
                var (duration, data) = await spectator.ReceiveFragmentAsync();
                Assert.Equal(1.5, duration);
                Assert.Equal(TestData.Fragment(i), data);
            }

            await spectator.ExpectCloseAsync();
            await spectator.DisposeAsync();
        }

        // The gateway pulled once for both edges; every relay is gone after the stream ended.
        foreach (var node in edges.Append(gateway))
        {
            await Cluster.EventuallyAsync(async () => (await cluster.StreamsAsync(node)).Length == 0, "relays close after CLOSE");
        }
    }

    [Fact]
    public async Task Concurrent_first_pulls_open_exactly_one_relay()
    {
        await using var registry = await RegistryServer.StartAsync("garnet");
        await using var cluster = new Cluster(registry);
        var a = await cluster.StartPublishNodeAsync();
        var edge = await cluster.StartGatewayAsync();
        var stream = TestData.StreamId();
        await using var publisher = await PublishAsync(a, stream);
        await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) is not null, "the stream is announced");
        var spectators = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => WatchAsync(edge, stream)));
        await publisher.SendFragmentAsync(TestData.Fragment(5));
        foreach (var spectator in spectators)
        {
            Assert.Equal(TestData.Fragment(5), (await spectator.ReceiveFragmentAsync()).Data);
        }

        Assert.Equal(1, (await cluster.StreamsAsync(a)).Single().GetProperty("subscribers").GetInt32());
        Assert.Equal(20, (await cluster.StreamsAsync(edge)).Single().GetProperty("subscribers").GetInt32());
        foreach (var spectator in spectators)
        {
            await spectator.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Registries))]
    public async Task Killing_the_publish_node_fails_over_to_the_publisher_on_another_node(string kind)
    {
        await using var registry = await RegistryServer.StartAsync(kind);
        await using var cluster = new Cluster(registry);
        var a = await cluster.StartPublishProcessAsync();
        var b = await cluster.StartPublishNodeAsync();
        var gateway = await cluster.StartGatewayAsync();
        var edge = await cluster.StartEdgeAsync(gateway);
        var stream = TestData.StreamId();
        var first = await RawPeer.PushAsync(a.WebSocketUrl, stream, Cluster.PushToken(stream));
        await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) == a.WebSocketUrl.ToString(), "A announces the stream");
        await first.SendFragmentAsync(TestData.Fragment(1));
        await using var spectator = await WatchAsync(edge, stream);
        Assert.Equal(TestData.Fragment(1), (await spectator.ReceiveFragmentAsync()).Data);

        // A dies without cleaning up (SIGKILL); its registry entry still points at it.
        await a.KillAsync();
        first.Socket.Abort();
        var killed = Stopwatch.StartNew();
        await using var second = await PublishAsync(b, stream);
        await second.SendFragmentAsync(TestData.Fragment(2));
        var next = await spectator.ReceiveFragmentAsync(TimeSpan.FromSeconds(20));
        TestContext.Current.SendDiagnosticMessage($"[{kind}] failover: publish node killed → first fragment from the new publisher at the edge in {killed.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(TestData.Fragment(2), next.Data);
        Assert.Equal(WebSocketState.Open, spectator.Socket.State);
        await second.SendFragmentAsync(TestData.Fragment(3));
        Assert.Equal(TestData.Fragment(3), (await spectator.ReceiveFragmentAsync()).Data);
        var relay = (await cluster.StreamsAsync(gateway)).Single();
        Assert.Equal(b.WebSocketUrl.ToString(), relay.GetProperty("upstream").GetString());
    }

    [Fact]
    public async Task Relay_resumes_when_the_same_publish_node_restarts()
    {
        await using var registry = await RegistryServer.StartAsync("garnet");
        await using var cluster = new Cluster(registry);
        var a = await cluster.StartPublishProcessAsync();
        var port = a.Port;
        var edge = await cluster.StartGatewayAsync();
        var stream = TestData.StreamId();
        var publisher = await RawPeer.PushAsync(a.WebSocketUrl, stream, Cluster.PushToken(stream));
        await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) is not null, "the stream is announced");
        await publisher.SendFragmentAsync(TestData.Fragment(1));
        await using var spectator = await WatchAsync(edge, stream);
        Assert.Equal(TestData.Fragment(1), (await spectator.ReceiveFragmentAsync()).Data);

        await a.KillAsync();
        publisher.Socket.Abort();
        var restarted = await cluster.StartPublishProcessAsync(port);
        await using var again = await RawPeer.PushAsync(restarted.WebSocketUrl, stream, Cluster.PushToken(stream));
        await again.SendFragmentAsync(TestData.Fragment(2));
        Assert.Equal(TestData.Fragment(2), (await spectator.ReceiveFragmentAsync(TimeSpan.FromSeconds(20))).Data);
    }

    [Theory]
    [MemberData(nameof(Registries))]
    public async Task Registry_outage_keeps_streams_flowing_and_new_pulls_fall_back_to_the_upstream(string kind)
    {
        await using var registry = await RegistryServer.StartAsync(kind);
        await using var cluster = new Cluster(registry);
        var a = await cluster.StartPublishNodeAsync();
        var edge = await cluster.StartEdgeAsync(upstream: a, registry: true);
        var flowing = TestData.StreamId();
        await using var publisher = await PublishAsync(a, flowing);
        await Cluster.EventuallyAsync(async () => await registry.GetAsync(flowing) is not null, "the stream is announced");
        await using var spectator = await WatchAsync(edge, flowing);
        await publisher.SendFragmentAsync(TestData.Fragment(1));
        Assert.Equal(TestData.Fragment(1), (await spectator.ReceiveFragmentAsync()).Data);

        await registry.StopAsync();
        for (var i = 2; i < 5; i++)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(i));
            Assert.Equal(TestData.Fragment(i), (await spectator.ReceiveFragmentAsync()).Data);
        }

        // A stream published during the outage: the edge cannot look it up, and falls back to its upstream.
        var fresh = TestData.StreamId();
        await using var freshPublisher = await PublishAsync(a, fresh);
        await freshPublisher.SendFragmentAsync(TestData.Fragment(9));
        var lookup = Stopwatch.StartNew();
        await using var freshSpectator = await WatchAsync(edge, fresh);
        Assert.Equal(TestData.Fragment(9), (await freshSpectator.ReceiveFragmentAsync()).Data);
        TestContext.Current.SendDiagnosticMessage($"[{kind}] pull during registry outage served via upstream in {lookup.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal("ws://127.0.0.1:" + a.HttpUrl.Port + "/", (await cluster.StreamsAsync(edge)).Single(s => s.GetProperty("streamId").GetString() == fresh).GetProperty("upstream").GetString());

        // When the registry returns, the announcements written during the outage catch up by themselves.
        await registry.StartAsync();
        await Cluster.EventuallyAsync(async () => await registry.GetAsync(fresh) == a.WebSocketUrl.ToString(), "the announcement is retried after the outage", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Relay_without_spectators_closes_after_its_inactivity_period()
    {
        await using var registry = await RegistryServer.StartAsync("garnet");
        await using var cluster = new Cluster(registry);
        var a = await cluster.StartPublishNodeAsync();
        var edge = await cluster.StartGatewayAsync();
        var stream = TestData.StreamId();
        await using var publisher = await PublishAsync(a, stream);
        await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) is not null, "the stream is announced");
        var spectator = await WatchAsync(edge, stream);
        await publisher.SendFragmentAsync(TestData.Fragment(1));
        await spectator.ReceiveFragmentAsync();
        Assert.Single(await cluster.StreamsAsync(edge));
        await spectator.DisposeAsync();
        await Cluster.EventuallyAsync(async () => (await cluster.StreamsAsync(edge)).Length == 0, "the idle relay closes");
        await Cluster.EventuallyAsync(async () => (await cluster.StreamsAsync(a)).Single().GetProperty("subscribers").GetInt32() == 0, "the origin loses its relay subscriber");
    }

    [Theory]
    [MemberData(nameof(Registries))]
    public async Task Registry_key_is_removed_when_the_stream_ends_but_not_when_another_node_owns_it(string kind)
    {
        await using var registry = await RegistryServer.StartAsync(kind);
        await using var cluster = new Cluster(registry);
        var a = await cluster.StartPublishNodeAsync();
        var stream = TestData.StreamId();
        await using (var publisher = await PublishAsync(a, stream))
        {
            await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) == a.WebSocketUrl.ToString(), "the stream is announced");
            await publisher.SendTextAsync("CLOSE");
            await publisher.ExpectEndAsync();
        }

        await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) is null, "the key is removed");

        var other = "ws://other-node.invalid:8080/";
        await using (var publisher = await PublishAsync(a, stream))
        {
            await Cluster.EventuallyAsync(async () => await registry.GetAsync(stream) == a.WebSocketUrl.ToString(), "the stream is announced again");
            await registry.SetAsync(stream, other);
            await publisher.SendTextAsync("CLOSE");
            await publisher.ExpectEndAsync();
        }

        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(other, await registry.GetAsync(stream));
    }

    [Fact]
    public async Task Edge_refuses_push_and_a_stream_found_nowhere_answers_OK_then_CLOSE()
    {
        await using var registry = await RegistryServer.StartAsync("garnet");
        await using var cluster = new Cluster(registry);
        var edge = await cluster.StartGatewayAsync();
        await using (var publisher = await RawPeer.ConnectAsync(edge.WebSocketUrl))
        {
            await publisher.SendTextAsync(HlsCdn.Protocol.Messages.Push("x", Cluster.PushToken("x")));
            await publisher.ExpectErrorAsync("PUSH_NOT_ALLOWED");
        }

        await using var spectator = await WatchAsync(edge, "nobody/publishes/this");
        await spectator.ExpectCloseAsync();
    }
}
