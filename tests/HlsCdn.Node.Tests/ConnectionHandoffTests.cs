using HlsCdn.Node.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HlsCdn.Node.Tests;

/// <summary>
/// A plain WebSocket upgrade hands its connection to the session: the HTTP request ends (and its objects can be
/// collected) while the session goes on; where a per-IP session limit is set, the request lasts as long as the session.
/// </summary>
public sealed class ConnectionHandoffTests
{
    private static async Task<TestNode> StartAsync(UpgradeRequestRecorder recorder, params (string Key, string? Value)[] settings) =>
        await TestNode.StartAsync(TestData.Settings(settings), configure: b => b.Services.AddSingleton<IStartupFilter>(recorder));

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(RawPeer.DefaultTimeout);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return true;
    }

    [Fact]
    public async Task Sessions_go_on_after_their_upgrade_requests_ended_and_were_collected()
    {
        var recorder = new UpgradeRequestRecorder();
        await using var node = await StartAsync(recorder);
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        var spectators = new List<RawPeer>();
        for (var i = 0; i < 3; i++)
        {
            spectators.Add(await RawPeer.PullAsync(node.WebSocketUrl, stream, maxInitialFragments: 0));
        }

        Assert.True(await EventuallyAsync(() => recorder.InFlight == 0), $"{recorder.InFlight} upgrade requests still in flight");
        Assert.True(await EventuallyAsync(() => recorder.ContextsAlive() == 0), $"{recorder.ContextsAlive()} upgrade request contexts still alive");

        for (var i = 0; i < 3; i++)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(i), duration: i + 1);
        }

        foreach (var spectator in spectators)
        {
            for (var i = 0; i < 3; i++)
            {
                var (duration, data) = await spectator.ReceiveFragmentAsync();
                Assert.Equal(i + 1, duration);
                Assert.Equal(TestData.Fragment(i), data);
            }
        }

        // A spectator that closes ends its session; one that drops the TCP connection does too.
        var tracker = node.Get<ConnectionTracker>();
        await spectators[0].DisposeAsync();
        spectators[1].Socket.Abort();
        Assert.True(await EventuallyAsync(() => tracker.Connections.Count == 2), $"{tracker.Connections.Count} sessions open, expected the publisher's and one spectator's");

        await publisher.SendFragmentAsync(TestData.Fragment(7));
        Assert.Equal(TestData.Fragment(7), (await spectators[2].ReceiveFragmentAsync()).Data);
        await spectators[2].DisposeAsync();
    }

    [Fact]
    public async Task A_node_stopping_closes_handed_off_sessions()
    {
        var recorder = new UpgradeRequestRecorder();
        var node = await StartAsync(recorder);
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        Assert.True(await EventuallyAsync(() => recorder.InFlight == 0));

        await node.DisposeAsync();
        await spectator.ExpectErrorAsync("NODE_SHUTDOWN");
        await publisher.ExpectErrorAsync("NODE_SHUTDOWN");
    }

    [Fact]
    public async Task With_a_per_IP_session_limit_the_upgrade_request_lasts_as_long_as_its_session()
    {
        var recorder = new UpgradeRequestRecorder();
        await using var node = await StartAsync(recorder, ("Node:RateLimit:Enabled", "true"), ("Node:RateLimit:ConnectionsPerIp", "5"));
        var stream = TestData.StreamId();
        var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        Assert.Equal(2, recorder.InFlight);

        await spectator.DisposeAsync();
        await publisher.DisposeAsync();
        Assert.True(await EventuallyAsync(() => recorder.InFlight == 0), $"{recorder.InFlight} upgrade requests still in flight after their sessions ended");
    }

    [Fact]
    public async Task A_raw_peer_that_never_speaks_after_the_upgrade_is_dropped_at_the_first_message_deadline()
    {
        var recorder = new UpgradeRequestRecorder();
        await using var node = await StartAsync(recorder, ("Node:FirstMessageTimeout", "00:00:01"));
        await using var peer = await RawTcpWebSocket.ConnectAsync(node.HttpUrl.Port, TestContext.Current.CancellationToken);
        Assert.Equal(101, await peer.UpgradeAsync(RawPeer.DefaultTimeout));
        Assert.True(await EventuallyAsync(() => recorder.InFlight == 0));

        // At the deadline the node says why and closes the WebSocket, then the connection.
        Assert.StartsWith("E:PROTOCOL_ERROR/", await peer.ReadOutcomeAsync(RawPeer.DefaultTimeout), StringComparison.Ordinal);
        var tracker = node.Get<ConnectionTracker>();
        Assert.True(await EventuallyAsync(() => tracker.Connections.Count == 0), $"{tracker.Connections.Count} sessions still open");
    }
}
