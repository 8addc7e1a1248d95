using System.Net.WebSockets;
using HlsCdn.Node.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Connections;

/// <summary>
/// One timer for the whole node: sends <c>H</c> on connections that have sent nothing for the heartbeat interval and
/// closes those that have received nothing for the idle timeout, and cuts off those whose send has waited on the peer
/// for longer than the send timeout. (The first-message deadline is kept by the handler.)
/// </summary>
internal sealed class ConnectionWatchdog(ConnectionTracker tracker, IOptions<NodeOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var period = TimeSpan.FromTicks(Math.Clamp(Math.Min(o.HeartbeatInterval.Ticks, o.SendTimeout.Ticks) / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Tick(o);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal void Tick(NodeOptions o)
    {
        foreach (var connection in tracker.Connections)
        {
            if (connection.SendPendingFor >= o.SendTimeout)
            {
                connection.AbortStalledSend();
                continue;
            }

            if (connection.Outbox is not { IsFinishing: false } outbox)
            {
                continue;
            }

            if (connection.SinceLastReceive >= o.IdleTimeout)
            {
                outbox.Close(WebSocketCloseStatus.PolicyViolation, "idle timeout");
            }
            else if (connection.SinceLastSend >= o.HeartbeatInterval)
            {
                outbox.EnqueueHeartbeat();
            }
        }
    }
}
