using System.Diagnostics;
using HlsCdn.Node.Connections;
using HlsCdn.Node.Streams;
using HlsCdn.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Shutdown;

/// <summary>
/// Graceful shutdown (SIGTERM, host stop). In the host's <i>stopping</i> phase, before Kestrel and the other services
/// stop: new WebSocket upgrades get 503; every stream ends with <see cref="LiveStreamEndReason.NodeShutdown"/>
/// (spectators get <c>E:code=NODE_SHUTDOWN</c> and reconnect elsewhere); publishers are told <c>NODE_SHUTDOWN</c>
/// too; sessions still in their handshake are dropped; the stream observers (registry removal) are awaited for every
/// local stream; then the connections' close handshakes, all within <see cref="NodeShutdownOptions.ShutdownTimeout"/>.
/// </summary>
internal sealed class NodeShutdownService(
    NodeLifecycle lifecycle,
    StreamDirectory directory,
    ConnectionTracker tracker,
    IEnumerable<IStreamLifecycleObserver> observers,
    IOptions<NodeShutdownOptions> options,
    TimeProvider time,
    ILogger<NodeShutdownService> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a connection without an outbox is left alone: one that was just answered <c>OK</c> gets its outbox a
    /// moment later (and then <c>NODE_SHUTDOWN</c>); aborting it at once cut a publisher or spectator that had its
    /// <c>OK</c> already without telling it why. Connections still without an outbox after this are aborted.
    /// </summary>
    private static readonly TimeSpan HandshakeGrace = TimeSpan.FromMilliseconds(500);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        lifecycle.BeginStopping();
        var timeout = options.Value.ShutdownTimeout;

        // Keep a little of the host's budget for Kestrel and the other services to stop.
        var budget = timeout - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, timeout.Ticks / 4));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        var started = Stopwatch.GetTimestamp();
        logger.ShutdownStarted(directory.Count, tracker.Connections.Count, timeout);

        var notifications = new List<Task>();
        try
        {
            // Sweep until every connection is gone: streams first (so spectators get NODE_SHUTDOWN, not CLOSE), then
            // the connections (publishers, and anything that attached meanwhile).
            while (true)
            {
                notifications.AddRange(EndStreams(deadline.Token));
                Sweep(abortWithoutOutbox: Stopwatch.GetElapsedTime(started) >= HandshakeGrace);
                if (tracker.Connections.Count == 0)
                {
                    break;
                }

                await Task.Delay(SweepInterval, time, deadline.Token).ConfigureAwait(false);
            }

            await Task.WhenAll(notifications).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Out of time: Kestrel aborts what is left.
        }

        logger.ShutdownDrained(Stopwatch.GetElapsedTime(started), tracker.Connections.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private List<Task> EndStreams(CancellationToken cancellationToken)
    {
        var notifications = new List<Task>();
        foreach (var stream in directory.Streams)
        {
            var local = stream.SourceKind == StreamSourceKind.Local;
            if (stream.End(null, LiveStreamEndReason.NodeShutdown) && local)
            {
                notifications.Add(NotifyUnpublishedAsync(stream.Id, cancellationToken));
            }
        }

        return notifications;
    }

    private void Sweep(bool abortWithoutOutbox)
    {
        foreach (var connection in tracker.Connections)
        {
            if (connection.Outbox is not { } outbox)
            {
                if (abortWithoutOutbox)
                {
                    connection.Abort();
                }
            }
            else if (!outbox.IsFinishing)
            {
                outbox.Fail(ErrorCodes.NodeShutdown, "node is shutting down; reconnect", discardQueued: false);
            }
        }
    }

    private async Task NotifyUnpublishedAsync(string streamId, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnUnpublishedAsync(streamId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.ShutdownObserverFailed(observer.GetType().Name, streamId, ex.Message);
            }
        }
    }
}
