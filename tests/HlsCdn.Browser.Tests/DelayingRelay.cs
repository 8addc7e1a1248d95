using System.Net.WebSockets;
using System.Threading.Channels;
using HlsCdn.Tester.Spectating;
using Microsoft.AspNetCore.Builder;

namespace HlsCdn.Browser.Tests;

/// <summary>
/// A WebSocket relay on a loopback port between the browser and a node that holds back every message from the node by
/// a random delay in [0, <c>maxDelay</c>], in order (a message never overtakes the one before it): network jitter on
/// the fragment delivery, for the player's margin to adapt to. Messages from the browser pass straight through.
/// </summary>
public sealed class DelayingRelay : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly int[] _delayed;

    private DelayingRelay(WebApplication app, Uri url, int[] delayed)
    {
        _app = app;
        WebSocketUrl = url;
        _delayed = delayed;
    }

    /// <summary>Where the browser connects (ws://127.0.0.1:port/).</summary>
    public Uri WebSocketUrl { get; }

    /// <summary>Fragments (binary messages) delayed so far.</summary>
    public int FragmentsDelayed => Volatile.Read(ref _delayed[0]);

    public static async Task<DelayingRelay> StartAsync(Uri upstream, TimeSpan maxDelay, int seed = 13)
    {
        var random = new Random(seed);
        var gate = new Lock();
        var delayed = new int[1];
        var (app, url) = await WebSocketRelay.StartAsync(upstream, async (node, browser, cancellationToken) =>
        {
            var queue = Channel.CreateUnbounded<(DateTime DueUtc, WebSocketMessageType Type, byte[] Data)>();

            async Task FromNodeAsync()
            {
                var due = DateTime.UtcNow;
                while (await WebSocketRelay.ReceiveAsync(node, cancellationToken) is { } message)
                {
                    TimeSpan delay;
                    lock (gate)
                    {
                        delay = maxDelay * random.NextDouble();
                    }

                    // In order: never before the previous message.
                    var now = DateTime.UtcNow;
                    due = now + delay > due ? now + delay : due;
                    if (message.Type == WebSocketMessageType.Binary)
                    {
                        Interlocked.Increment(ref delayed[0]);
                    }

                    queue.Writer.TryWrite((due, message.Type, message.Data));
                }

                queue.Writer.TryComplete();
            }

            async Task ToBrowserAsync()
            {
                await foreach (var (dueUtc, type, data) in queue.Reader.ReadAllAsync(cancellationToken))
                {
                    var wait = dueUtc - DateTime.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    await browser.SendAsync(data, type, true, cancellationToken);
                }
            }

            await await Task.WhenAny(FromNodeAsync(), ToBrowserAsync());
        });
        return new DelayingRelay(app, url, delayed);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
