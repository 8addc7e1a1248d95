using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Streams;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Connections;

/// <summary>
/// One WebSocket peer. Receiving is done by the protocol handler's read loop (<see cref="ReceiveAsync"/>); sending,
/// once the handshake is over, only by this connection's single writer loop, which drains a bounded queue. As a
/// spectator's subscription it applies the slow-subscriber policy when that queue is full, so neither the publisher
/// nor other spectators ever wait for it. A send that takes longer than the send timeout aborts the connection (the
/// node's watchdog checks). Fragments go out as their prepared frames plus the shared payload, in one write to the
/// <see cref="WebSocketTransport"/>; the counts of what was sent are this connection's own, summed when asked.
/// </summary>
internal sealed class NodeConnection : IStreamSubscriber, IAsyncDisposable
{
    // Small: an idle spectator holds it for as long as it is connected. It grows for longer messages.
    private const int InitialReceiveBufferSize = 256;
    private static readonly byte[] HeartbeatFrame = WebSocketFrame.Text(Messages.Heartbeat);
    private static readonly byte[] CloseFrame = WebSocketFrame.Text(Messages.Close);
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(3);

    private readonly WebSocket _socket;
    private readonly WebSocketTransport _transport;
    private readonly NodeOptions _options;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<OutboundItem> _outbound;
    private readonly TaskCompletionSource _readLoopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _receiveBuffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
    private Task _writer = Task.CompletedTask;
    private FinalMessage? _final;
    private volatile bool _discardQueued;
    private long _lastSend;
    private long _lastReceive;
    private long _dropped;
    private long _fragmentsSent;
    private long _bytesSent;
    private int _slowLogged;
    private int _stalled;

    public NodeConnection(long id, WebSocket socket, WebSocketTransport transport, NodeOptions options, NodeMetrics metrics, ILogger logger, TimeProvider time)
    {
        Id = id;
        _socket = socket;
        _transport = transport;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _lastSend = _lastReceive = time.GetTimestamp();
        ConnectedAt = _lastSend;
        var capacity = Math.Max(options.SubscriberQueueLength, options.FragmentBufferMaxLength + 1);
        var channelOptions = new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
            FullMode = options.SlowSubscriberPolicy == SlowSubscriberPolicy.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        _outbound = Channel.CreateBounded<OutboundItem>(channelOptions, OnItemDropped);
    }

    public long Id { get; }

    public long ConnectedAt { get; }

    /// <summary>The stream this connection spectates (for stats), once subscribed.</summary>
    public LiveStream? Subscription { get; set; }

    /// <summary>Whether the writer loop runs (the handshake is over).</summary>
    public bool IsEstablished { get; private set; }

    public bool IsFinishing => Volatile.Read(ref _final) is not null;

    public TimeSpan SinceLastSend => _time.GetElapsedTime(Interlocked.Read(ref _lastSend));

    public TimeSpan SinceLastReceive => _time.GetElapsedTime(Interlocked.Read(ref _lastReceive));

    public TimeSpan SinceConnected => _time.GetElapsedTime(ConnectedAt);

    /// <summary>Fragments the slow-subscriber policy dropped for this connection.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public long FragmentsSent => Volatile.Read(ref _fragmentsSent);

    /// <inheritdoc />
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Whether this connection's frames go straight to its socket (plain <c>ws://</c>, after the peer spoke).</summary>
    public bool WritesToSocket => _transport.IsDirect;

    /// <summary>How long the send under way has been waiting for the peer (zero when none is).</summary>
    public TimeSpan SendPendingFor => _transport.SendPendingFor;

    /// <summary>Reads the next message. Binary messages are refused unread unless <paramref name="allowBinary"/>.</summary>
    public async ValueTask<InboundMessage> ReceiveAsync(bool allowBinary, CancellationToken cancellationToken = default)
    {
        var count = 0;
        WebSocketMessageType? type = null;
        try
        {
            while (true)
            {
                if (count == _receiveBuffer.Length)
                {
                    Grow(count);
                }

                var result = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastReceive, _time.GetTimestamp());
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return InboundMessage.Closed;
                }

                type ??= result.MessageType;
                count += result.Count;
                if (type == WebSocketMessageType.Text)
                {
                    if (count > ProtocolLimits.MaxTextMessageBytes)
                    {
                        return new InboundMessage(InboundKind.TextTooBig);
                    }

                    if (result.EndOfMessage)
                    {
                        return ProtocolMessage.TryParse(_receiveBuffer.AsSpan(0, count), out var message)
                            ? new InboundMessage(InboundKind.Text, message)
                            : new InboundMessage(InboundKind.MalformedText);
                    }
                }
                else
                {
                    if (!allowBinary)
                    {
                        return new InboundMessage(InboundKind.UnexpectedBinary);
                    }

                    if (count > _options.MaxBinaryMessageSize)
                    {
                        return new InboundMessage(InboundKind.BinaryTooBig);
                    }

                    if (result.EndOfMessage)
                    {
                        return new InboundMessage(InboundKind.Binary, Payload: _receiveBuffer.AsMemory(0, count));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            return InboundMessage.Closed;
        }
    }

    private void Grow(int count)
    {
        var limit = _options.MaxBinaryMessageSize + 1;
        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_receiveBuffer.Length * 2, Math.Max(limit, _receiveBuffer.Length + 1)));
        _receiveBuffer.AsSpan(0, count).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        _receiveBuffer = next;
    }

    /// <summary>Handshake phase only (before <see cref="StartWriter"/>): sends a text message directly.</summary>
    public async Task SendHandshakeAsync(string text)
    {
        await SendAsync(WebSocketFrame.Text(text)).ConfigureAwait(false);
    }

    /// <summary>Handshake phase only: answers <c>E</c> (when <paramref name="code"/> is set), closes and waits briefly for the peer.</summary>
    /// <param name="code">The error code, or null to close without <c>E</c>.</param>
    /// <param name="reason">The error message.</param>
    /// <param name="status">The WebSocket close status.</param>
    /// <param name="pendingReceive">A receive still under way (after a timeout), awaited instead of starting another.</param>
    public async Task RefuseAsync(string? code, string reason, WebSocketCloseStatus status = WebSocketCloseStatus.PolicyViolation, Task? pendingReceive = null)
    {
        try
        {
            if (code is not null)
            {
                CountError(code, reason);
                await SendHandshakeAsync(Messages.Error(code, reason)).ConfigureAwait(false);
            }

            await CloseOutputAsync(status, CloseDescription(reason)).ConfigureAwait(false);
            if (pendingReceive is null)
            {
                await DrainUntilCloseAsync().ConfigureAwait(false);
            }
            else
            {
                await pendingReceive.WaitAsync(CloseGrace, _time).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            Log.ConnectionAborted(_logger, Id, ex.Message);
            Abort();
        }
    }

    /// <summary>Drops the connection at once (a session still in its handshake when the node shuts down).</summary>
    public void Abort()
    {
        _socket.Abort();
        _transport.Abort();
    }

    /// <summary>The watchdog found a send pending for longer than the send timeout: the peer stalled; cut it off.</summary>
    public void AbortStalledSend()
    {
        if (Interlocked.Exchange(ref _stalled, 1) == 0)
        {
            _metrics.SlowDisconnects.Add(1);
            Log.ConnectionAborted(_logger, Id, "send timed out (stalled peer)");
            Abort();
        }
    }

    /// <summary>Ends the handshake: from now on only the writer loop sends.</summary>
    public void StartWriter()
    {
        IsEstablished = true;
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Queues a heartbeat (droppable: a full queue means the writer is busy anyway).</summary>
    public void EnqueueHeartbeat() => _outbound.Writer.TryWrite(new OutboundItem(null, HeartbeatFrame));

    /// <inheritdoc />
    public void Enqueue(Fragment fragment)
    {
        if (_outbound.Writer.TryWrite(new OutboundItem(fragment, null)))
        {
            return;
        }

        // Only reached with policy Disconnect (DropOldest always accepts), or when the connection is finishing.
        if (!IsFinishing && _options.SlowSubscriberPolicy == SlowSubscriberPolicy.Disconnect)
        {
            Log.SlowSubscriberDisconnected(_logger, Id, Subscription?.Id ?? "?");
            _metrics.SlowDisconnects.Add(1);
            Fail(ErrorCodes.SlowSubscriber, "spectator could not keep up with the stream");
        }
    }

    /// <inheritdoc />
    public void OnStreamEnded(StreamEndReason reason)
    {
        if (reason == StreamEndReason.NodeShutdown)
        {
            Fail(ErrorCodes.NodeShutdown, "node is shutting down; reconnect", discardQueued: false);
        }
        else
        {
            Finish(new FinalMessage(CloseFrame, WebSocketCloseStatus.NormalClosure, "stream ended"), discardQueued: false);
        }
    }

    /// <summary>After the handshake: sends <c>E</c> (after what is queued, unless <paramref name="discardQueued"/>) and closes.</summary>
    public void Fail(string code, string reason, bool discardQueued = true)
    {
        if (Finish(new FinalMessage(WebSocketFrame.Text(Messages.Error(code, reason)), WebSocketCloseStatus.PolicyViolation, CloseDescription(reason)), discardQueued))
        {
            CountError(code, reason);
        }
    }

    /// <summary>After the handshake: closes with <paramref name="status"/> and no protocol message.</summary>
    public void Close(WebSocketCloseStatus status, string reason, bool discardQueued = true) =>
        Finish(new FinalMessage(null, status, CloseDescription(reason)), discardQueued);

    /// <summary>After the handshake: sends <c>CLOSE</c> after what is queued and closes normally.</summary>
    public void CloseStream() => Finish(new FinalMessage(CloseFrame, WebSocketCloseStatus.NormalClosure, "stream ended"), discardQueued: false);

    private bool Finish(FinalMessage final, bool discardQueued)
    {
        if (Interlocked.CompareExchange(ref _final, final, null) is not null)
        {
            return false;
        }

        if (discardQueued)
        {
            _discardQueued = true;
        }

        _outbound.Writer.TryComplete();
        return true;
    }

    /// <summary>
    /// Called by the read loop when it ends: lets the writer finish (bounded by the send timeout), then waits briefly
    /// for the peer's close frame so that what was sent is flushed, not reset. Aborts only what does not finish.
    /// </summary>
    public async Task CompleteAsync()
    {
        _readLoopDone.TrySetResult();
        Close(WebSocketCloseStatus.NormalClosure, "bye");
        try
        {
            await _writer.WaitAsync(_options.SendTimeout + CloseGrace, _time).ConfigureAwait(false);
            if (_socket.State == WebSocketState.CloseSent)
            {
                await DrainUntilCloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Log.ConnectionAborted(_logger, Id, "peer did not finish the close handshake in time");
            Abort();
        }
    }

    private async Task RunWriterAsync()
    {
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    if (_discardQueued)
                    {
                        continue;
                    }

                    if (item.Fragment is { } fragment)
                    {
                        await _transport.SendAsync(fragment.Frames, fragment.Data).ConfigureAwait(false);
                        Volatile.Write(ref _lastSend, _time.GetTimestamp());
                        Volatile.Write(ref _fragmentsSent, _fragmentsSent + 1);
                        Volatile.Write(ref _bytesSent, _bytesSent + fragment.Data.Length);
                    }
                    else if (item.Frame is { } frame)
                    {
                        await SendAsync(frame).ConfigureAwait(false);
                    }
                }
            }

            var final = Volatile.Read(ref _final)!;
            if (final.Frame is not null)
            {
                await SendAsync(final.Frame).ConfigureAwait(false);
            }

            await CloseOutputAsync(final.Status, final.Description).ConfigureAwait(false);

            // The read loop normally ends with the peer's close frame; a peer that never answers is cut off.
            if (!_readLoopDone.Task.IsCompleted
                && await Task.WhenAny(_readLoopDone.Task, Task.Delay(CloseGrace, _time)).ConfigureAwait(false) != _readLoopDone.Task)
            {
                Log.ConnectionAborted(_logger, Id, "peer did not answer the close handshake");
                Abort();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            if (Volatile.Read(ref _stalled) == 0)
            {
                Log.ConnectionAborted(_logger, Id, ex.Message);
            }

            Abort();
        }
    }

    private async ValueTask SendAsync(byte[] frame)
    {
        await _transport.SendAsync(frame, default).ConfigureAwait(false);
        Volatile.Write(ref _lastSend, _time.GetTimestamp());
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status, string description)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(status, description, CancellationToken.None).WaitAsync(CloseGrace, _time).ConfigureAwait(false);
        }
    }

    // Handshake refusals: read (and discard) until the peer's close frame, a short while at most.
    private async Task DrainUntilCloseAsync()
    {
        using var timeout = new CancellationTokenSource(CloseGrace, _time);
        while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var result = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(), timeout.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    private void OnItemDropped(OutboundItem item)
    {
        if (item.Fragment is null)
        {
            return;
        }

        Interlocked.Increment(ref _dropped);
        Subscription?.CountDrop();
        _metrics.Drops.Add(1);
        if (Interlocked.Exchange(ref _slowLogged, 1) == 0)
        {
            Log.SlowSubscriberDropping(_logger, Id, Subscription?.Id ?? "?");
        }
    }

    private void CountError(string code, string reason)
    {
        _metrics.ProtocolErrors.Add(1, new KeyValuePair<string, object?>("code", code));
        Log.ProtocolError(_logger, Id, code, reason);
    }

    // A close frame's reason is limited to 123 bytes.
    private static string CloseDescription(string reason) => Encoding.UTF8.GetByteCount(reason) <= 120 ? reason : reason[..40];

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _transport.Dispose();
        var buffer = Interlocked.Exchange(ref _receiveBuffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    // A fragment, or a whole prepared text frame (a heartbeat).
    private readonly record struct OutboundItem(Fragment? Fragment, byte[]? Frame);

    // What the writer sends last: a prepared text frame (E or CLOSE) or nothing, then the WebSocket close frame.
    private sealed record FinalMessage(byte[]? Frame, WebSocketCloseStatus Status, string Description);
}
