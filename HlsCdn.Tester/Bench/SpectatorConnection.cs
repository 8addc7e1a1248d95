using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// One spectator's receive loop over a signed-in socket: <c>F</c> + binary fragments checked in place with one fixed
/// buffer, <c>H</c> ignored, <c>CLOSE</c> ends it, <c>E</c> or a dropped connection is recorded as a failure.
/// No allocation per message.
/// </summary>
public sealed class SpectatorConnection(WebSocket socket, FragmentPayload payload, SpectatorTally tally, int bufferSize)
{
    private readonly byte[] _buffer = new byte[Math.Max(bufferSize, 4096)];
    private readonly FragmentReader _reader = new(payload);

    /// <summary>The tally this loop writes.</summary>
    public SpectatorTally Tally => tally;

    /// <summary><see cref="Stopwatch"/> timestamp at which the first fragment was complete; 0 before.</summary>
    public long FirstFragmentAt { get; private set; }

    /// <summary>Receives until <c>CLOSE</c>, failure, <paramref name="stopAfterFragments"/> fragments or cancellation.</summary>
    public async Task RunAsync(int stopAfterFragments, CancellationToken cancellationToken)
    {
        var fragments = 0;
        var announced = false;
        try
        {
            while (fragments < stopAfterFragments)
            {
                var result = await socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    tally.Failure ??= "the node closed the WebSocket without CLOSE";
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    if (!announced)
                    {
                        tally.RecordProtocolError();
                    }

                    announced = false;
                    _reader.Begin();
                    _reader.Accept(_buffer.AsSpan(0, result.Count));
                    while (!result.EndOfMessage)
                    {
                        result = await socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                        _reader.Accept(_buffer.AsSpan(0, result.Count));
                    }

                    var now = Stopwatch.GetTimestamp();
                    if (fragments++ == 0)
                    {
                        FirstFragmentAt = now;
                    }

                    tally.Record(_reader, now);
                    continue;
                }

                var count = result.Count;
                while (!result.EndOfMessage && count < _buffer.Length)
                {
                    result = await socket.ReceiveAsync(_buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    count += result.Count;
                }

                var text = _buffer.AsSpan(0, count);
                if (text.Length > 0 && (text[0] | 0x20) == 'f' && (text.Length == 1 || text[1] == ':'))
                {
                    if (announced)
                    {
                        tally.RecordProtocolError();
                    }

                    announced = true;
                }
                else if (text.Length == 5 && Ascii.EqualsIgnoreCase(text, "CLOSE"u8))
                {
                    tally.Closed = true;
                    return;
                }
                else if (text.Length > 0 && (text[0] | 0x20) == 'e' && (text.Length == 1 || text[1] == ':'))
                {
                    tally.Failure = BenchSocket.Describe(Encoding.UTF8.GetString(text));
                    return;
                }
                else if (!(text.Length == 1 && (text[0] | 0x20) == 'h'))
                {
                    tally.RecordProtocolError();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            tally.Failure ??= "still open when the run ended (no CLOSE)";
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            tally.Failure ??= "connection dropped: " + ex.Message;
        }
    }
}
