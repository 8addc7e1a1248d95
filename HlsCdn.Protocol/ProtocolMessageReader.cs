using System.Buffers;
using System.Net.WebSockets;

namespace HlsCdn.Protocol;

/// <summary>
/// Reads whole protocol messages from a WebSocket, with the protocol's limits: text messages up to
/// <see cref="ProtocolLimits.MaxTextMessageBytes"/> (parsed), binary messages up to a configured size (handed out
/// without a copy, from a pooled buffer that grows as needed and is reused). Nodes and the .NET client both read
/// through it. One reader per socket, one receive at a time; socket failures propagate to the caller.
/// </summary>
public sealed class ProtocolMessageReader : IDisposable
{
    private readonly WebSocket _socket;
    private readonly int _maxBinaryBytes;
    private readonly TimeProvider _time;
    private byte[] _buffer;
    private long _lastReceived;

    /// <param name="socket">The socket to read.</param>
    /// <param name="maxBinaryBytes">The largest binary message accepted.</param>
    /// <param name="initialBufferBytes">The buffer's first size (it grows up to <paramref name="maxBinaryBytes"/> + 1).</param>
    /// <param name="time">The clock for <see cref="LastReceived"/> (the system's when null).</param>
    public ProtocolMessageReader(WebSocket socket, int maxBinaryBytes, int initialBufferBytes = 256, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBinaryBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialBufferBytes);
        _socket = socket;
        _maxBinaryBytes = maxBinaryBytes;
        _time = time ?? TimeProvider.System;
        _buffer = ArrayPool<byte>.Shared.Rent(initialBufferBytes);
        _lastReceived = _time.GetTimestamp();
    }

    /// <summary>When anything (any frame) was last received (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long LastReceived => Volatile.Read(ref _lastReceived);

    /// <summary>Reads the next message. Binary messages are refused unread unless <paramref name="allowBinary"/>.</summary>
    public async ValueTask<ReceivedMessage> ReceiveAsync(bool allowBinary = true, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        var count = 0;
        WebSocketMessageType? type = null;
        while (true)
        {
            if (count == _buffer.Length)
            {
                Grow(count);
            }

            var result = await _socket.ReceiveAsync(_buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lastReceived, _time.GetTimestamp());
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ReceivedMessage.Closed;
            }

            type ??= result.MessageType;
            count += result.Count;
            if (type == WebSocketMessageType.Text)
            {
                if (count > ProtocolLimits.MaxTextMessageBytes)
                {
                    return new ReceivedMessage(ReceivedMessageKind.TextTooBig);
                }

                if (result.EndOfMessage)
                {
                    return ProtocolMessage.TryParse(_buffer.AsSpan(0, count), out var message)
                        ? new ReceivedMessage(ReceivedMessageKind.Text, message)
                        : new ReceivedMessage(ReceivedMessageKind.MalformedText);
                }
            }
            else
            {
                if (!allowBinary)
                {
                    return new ReceivedMessage(ReceivedMessageKind.UnexpectedBinary);
                }

                if (count > _maxBinaryBytes)
                {
                    return new ReceivedMessage(ReceivedMessageKind.BinaryTooBig);
                }

                if (result.EndOfMessage)
                {
                    return new ReceivedMessage(ReceivedMessageKind.Binary, Payload: _buffer.AsMemory(0, count));
                }
            }
        }
    }

    /// <summary>Reads and discards frames until the peer's close frame (after this side sent its own).</summary>
    public async Task DrainUntilCloseAsync(CancellationToken cancellationToken)
    {
        while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    private void Grow(int count)
    {
        var size = (int)Math.Min(Math.Min((long)_buffer.Length * 2, (long)_maxBinaryBytes + 1), Array.MaxLength);
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(size, _buffer.Length + 1));
        _buffer.AsSpan(0, count).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    /// <summary>Returns the buffer to the pool. Only when no receive is under way (a pending read still writes into it).</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
