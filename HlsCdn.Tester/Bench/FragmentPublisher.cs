using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using HlsCdn.Protocol;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// The bench's publisher: sends <c>F:duration=D</c> + the payload on a fixed schedule (catching up without sleeping
/// when late), stamping each payload with the time its send starts. One payload buffer, reused. A reader loop watches
/// for <c>E</c> from the node.
/// </summary>
public sealed class FragmentPublisher(WebSocket socket, FragmentPayload payload, TimeSpan interval)
{
    private readonly byte[] _buffer = new byte[payload.Size];
    private readonly byte[] _announce = Encoding.UTF8.GetBytes(Messages.Fragment(Math.Max(interval.TotalSeconds, 0.001)));
    private int _sent;
    private long _maxLagTicks;

    /// <summary>Fragments sent so far.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>How late the publisher started its worst send, in milliseconds (the harness could not keep up).</summary>
    public double MaxLagMilliseconds => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _maxLagTicks)).TotalMilliseconds;

    /// <summary>What the node said if it sent <c>E</c> or dropped the publisher.</summary>
    public string? Failure { get; private set; }

    /// <summary>Publishes fragments 0..<paramref name="count"/>-1 (or until <paramref name="stop"/> says so), then <c>CLOSE</c>.</summary>
    public async Task RunAsync(int count, Func<int, bool>? stop, CancellationToken cancellationToken)
    {
        var reader = WatchAsync(cancellationToken);
        var start = Stopwatch.GetTimestamp();
        for (var sequence = 0; sequence < count && Failure is null && !(stop?.Invoke(sequence) ?? false); sequence++)
        {
            var due = start + (long)(interval.TotalSeconds * sequence * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            payload.WriteBody(_buffer, sequence);
            var now = Stopwatch.GetTimestamp();
            if (now - due > _maxLagTicks)
            {
                Volatile.Write(ref _maxLagTicks, now - due);
            }

            payload.WriteHeader(_buffer, sequence, now);
            await socket.SendAsync(_announce.AsMemory(), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            await socket.SendAsync(_buffer.AsMemory(), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _sent, sequence + 1);
        }

        if (socket.State == WebSocketState.Open)
        {
            await BenchSocket.SendTextAsync(socket, MessageTypes.Close, cancellationToken).ConfigureAwait(false);
        }

        _ = reader;
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[ProtocolLimits.MaxTextMessageBytes];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Failure ??= "the node closed the publisher's connection";
                    return;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                if (text.StartsWith("E:", StringComparison.OrdinalIgnoreCase) || text == "E")
                {
                    Failure = "the node sent " + BenchSocket.Describe(text);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            Failure ??= "publisher connection dropped: " + ex.Message;
        }
    }
}
