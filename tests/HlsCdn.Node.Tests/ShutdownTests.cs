using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using HlsCdn.Node.Streams;
using HlsCdn.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace HlsCdn.Node.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_tells_publisher_and_spectators_NODE_SHUTDOWN_and_awaits_the_observers()
    {
        var observer = new RecordingObserver(TimeSpan.FromMilliseconds(300));
        var node = await TestNode.StartAsync(
            TestData.Settings(("Node:ShutdownTimeout", "00:00:05")),
            configure: b => b.Services.AddSingleton<IStreamLifecycleObserver>(observer));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        var spectators = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RawPeer.PullAsync(node.WebSocketUrl, stream)));
        await publisher.SendFragmentAsync(TestData.Fragment(1));
        foreach (var spectator in spectators)
        {
            Assert.Equal(TestData.Fragment(1), (await spectator.ReceiveFragmentAsync()).Data);
        }

        // Every peer reads while the node stops, as a player or encoder would.
        var publisherSaw = publisher.ReceiveAsync(TimeSpan.FromSeconds(15));
        var spectatorsSaw = spectators.Select(s => s.ReceiveAsync(TimeSpan.FromSeconds(15))).ToArray();
        var stopwatch = Stopwatch.StartNew();
        await node.DisposeAsync();
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the host took {stopwatch.Elapsed} to stop (bound 5 s)");
        AssertNodeShutdown(await publisherSaw);
        foreach (var saw in spectatorsSaw)
        {
            AssertNodeShutdown(await saw);
        }

        // Recorded (and finished, the observer takes 300 ms) before StopAsync returned.
        Assert.Contains(stream, observer.Unpublished);
        Assert.Contains(stream, observer.UnpublishedCompleted);
        foreach (var spectator in spectators)
        {
            await spectator.DisposeAsync();
        }
    }

    [Fact]
    public async Task New_sessions_get_503_while_the_node_stops()
    {
        var observer = new RecordingObserver(TimeSpan.FromSeconds(2));
        var node = await TestNode.StartAsync(
            TestData.Settings(("Node:ShutdownTimeout", "00:00:06")),
            configure: b => b.Services.AddSingleton<IStreamLifecycleObserver>(observer));
        var stream = TestData.StreamId();
        var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        var publisherSaw = publisher.ReceiveAsync(TimeSpan.FromSeconds(15));
        var stopping = node.DisposeAsync().AsTask();

        // The observer holds the shutdown for 2 s: a new session meanwhile is refused.
        Assert.True(await observer.UnpublishStarted.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken) == stream);
        using var late = new ClientWebSocket();
        late.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => late.ConnectAsync(node.WebSocketUrl, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.HttpStatusCode);

        await stopping;
        AssertNodeShutdown(await publisherSaw);
        await publisher.DisposeAsync();
    }

    [Fact]
    public async Task A_peer_that_never_answers_does_not_hold_the_shutdown_beyond_the_bound()
    {
        var node = await TestNode.StartAsync(TestData.Settings(("Node:ShutdownTimeout", "00:00:02")));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);

        // A spectator that never reads: it neither takes the E nor answers the close handshake.
        await using var stuck = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        var stopwatch = Stopwatch.StartNew();
        await node.DisposeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3.5), $"the host took {stopwatch.Elapsed} to stop (bound 2 s + 1.5 s margin)");
    }

    [Fact]
    public async Task A_connection_that_never_sends_PUSH_or_PULL_is_cut_after_a_short_grace()
    {
        var node = await TestNode.StartAsync(TestData.Settings(("Node:ShutdownTimeout", "00:00:10")));
        using var idle = new ClientWebSocket();
        await idle.ConnectAsync(node.WebSocketUrl, TestContext.Current.CancellationToken);
        var receive = idle.ReceiveAsync(new byte[64], CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        await node.DisposeAsync();

        // Not held for the 10 s bound: it has no outbox (no OK yet), so after the grace it is aborted.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the host took {stopwatch.Elapsed} to stop with a connection that never sent PUSH or PULL");
        WebSocketMessageType? got;
        try
        {
            got = (await receive.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).MessageType;
        }
        catch (WebSocketException)
        {
            got = null; // cut without a close frame
        }

        Assert.True(got is null or WebSocketMessageType.Close, $"the connection got a {got} message instead of being cut");
        TestContext.Current.SendDiagnosticMessage($"shutdown with a connection that never sent PUSH or PULL: {stopwatch.Elapsed.TotalMilliseconds:0} ms");
    }

    internal static void AssertNodeShutdown(RawPeer.Received received)
    {
        Assert.NotNull(received.Text);
        var message = ProtocolMessage.Parse(received.Text);
        Assert.Equal(MessageTypes.Error, message.Type);
        Assert.Equal(ErrorCodes.NodeShutdown, message.Get(MessageParameters.Code));
    }

    /// <summary>Stands in for the publish registry: records (slowly) what it is told.</summary>
    private sealed class RecordingObserver(TimeSpan unpublishDelay) : IStreamLifecycleObserver
    {
        public ConcurrentBag<string> Published { get; } = [];

        public ConcurrentBag<string> Unpublished { get; } = [];

        public ConcurrentBag<string> UnpublishedCompleted { get; } = [];

        public TaskCompletionSource<string> UnpublishStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnPublishedAsync(string streamId, CancellationToken cancellationToken)
        {
            Published.Add(streamId);
            return ValueTask.CompletedTask;
        }

        public async ValueTask OnUnpublishedAsync(string streamId, CancellationToken cancellationToken)
        {
            Unpublished.Add(streamId);
            UnpublishStarted.TrySetResult(streamId);
            await Task.Delay(unpublishDelay, cancellationToken);
            UnpublishedCompleted.Add(streamId);
        }
    }
}
