using System.Net.WebSockets;
using System.Text;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Connections;

/// <summary>
/// One WebSocket peer of the node: reads its messages (<see cref="ReceiveAsync"/>, from the protocol handler's or the
/// session's read loop), writes whole frames to its <see cref="WebSocketTransport"/>, refuses it during the handshake,
/// runs the close handshake, and knows how long it has been quiet. Once the handshake is over, only its
/// <see cref="Outbox"/> (the single writer) sends. What it does in between is its session's job
/// (<see cref="SpectatorSession"/> or <see cref="PublisherSession"/>).
/// </summary>
internal sealed class NodeConnection : IAsyncDisposable
{
    /// <summary>How long the node waits for the peer's part of a close handshake.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(3);

    // Small: an idle spectator holds it for as long as it is connected. It grows for longer messages.
    private const int InitialReceiveBufferSize = 256;

    private readonly WebSocket _socket;
    private readonly WebSocketTransport _transport;
    private readonly NodeOptions _options;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _readLoopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ProtocolMessageReader _reader;
    private long _lastSend;
    private int _stalled;
    private ConnectionOutbox? _outbox;

    public NodeConnection(long id, WebSocket socket, WebSocketTransport transport, NodeOptions options, NodeMetrics metrics, ILogger logger, TimeProvider time)
    {
        Id = id;
        _socket = socket;
        _transport = transport;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _reader = new ProtocolMessageReader(socket, options.MaxBinaryMessageSize, InitialReceiveBufferSize, time);
        _lastSend = time.GetTimestamp();
        ConnectedAt = _lastSend;
    }

    public long Id { get; }

    public long ConnectedAt { get; }

    /// <summary>The single writer once the handshake is over (null before).</summary>
    public ConnectionOutbox? Outbox => Volatile.Read(ref _outbox);

    public TimeSpan SinceLastSend => _time.GetElapsedTime(Volatile.Read(ref _lastSend));

    public TimeSpan SinceLastReceive => _time.GetElapsedTime(_reader.LastReceived);

    public TimeSpan SinceConnected => _time.GetElapsedTime(ConnectedAt);

    /// <summary>Whether this connection's frames go straight to its socket (plain <c>ws://</c>, after the peer spoke).</summary>
    public bool WritesToSocket => _transport.IsDirect;

    /// <summary>How long the send under way has been waiting for the peer (zero when none is).</summary>
    public TimeSpan SendPendingFor => _transport.SendPendingFor;

    /// <summary>Whether the connection was cut off because a send stalled.</summary>
    public bool Stalled => Volatile.Read(ref _stalled) != 0;

    /// <summary>Reads the next message. Binary messages are refused unread unless <paramref name="allowBinary"/>; a failed socket reads as closed.</summary>
    public async ValueTask<ReceivedMessage> ReceiveAsync(bool allowBinary, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _reader.ReceiveAsync(allowBinary, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            return ReceivedMessage.Closed;
        }
    }

    /// <summary>Writes whole prepared frames (and a payload after them, when given); nothing else is written in between.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frames, ReadOnlyMemory<byte> payload = default)
    {
        await _transport.SendAsync(frames, payload).ConfigureAwait(false);
        Volatile.Write(ref _lastSend, _time.GetTimestamp());
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
                await SendAsync(WebSocketFrame.Text(Messages.Error(code, reason))).ConfigureAwait(false);
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

    /// <summary>Ends the handshake: from now on only <paramref name="outbox"/> sends, and it starts.</summary>
    public void Establish(ConnectionOutbox outbox)
    {
        Volatile.Write(ref _outbox, outbox);
        outbox.Start();
    }

    /// <summary>Sends the WebSocket close frame (when the state allows), bounded by the close grace.</summary>
    public async Task CloseOutputAsync(WebSocketCloseStatus status, string description)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(status, description, CancellationToken.None).WaitAsync(CloseGrace, _time).ConfigureAwait(false);
        }
    }

    /// <summary>After the close frame was sent: waits (a while at most) for the read loop to see the peer's, else cuts the connection.</summary>
    public async Task AwaitPeerCloseAsync()
    {
        if (!_readLoopDone.Task.IsCompleted
            && await Task.WhenAny(_readLoopDone.Task, Task.Delay(CloseGrace, _time)).ConfigureAwait(false) != _readLoopDone.Task)
        {
            Log.ConnectionAborted(_logger, Id, "peer did not answer the close handshake");
            Abort();
        }
    }

    /// <summary>
    /// Called by the read loop when it ends: lets the writer finish (bounded by the send timeout), then waits briefly
    /// for the peer's close frame so that what was sent is flushed, not reset. Aborts only what does not finish.
    /// </summary>
    public async Task CompleteAsync()
    {
        _readLoopDone.TrySetResult();
        if (Outbox is not { } outbox)
        {
            return;
        }

        outbox.Close(WebSocketCloseStatus.NormalClosure, "bye");
        try
        {
            await outbox.Completion.WaitAsync(_options.SendTimeout + CloseGrace, _time).ConfigureAwait(false);
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

    /// <summary>Drops the connection at once.</summary>
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

    /// <summary>Counts and logs an <c>E</c> about to be sent.</summary>
    public void CountError(string code, string reason)
    {
        _metrics.ProtocolErrors.Add(1, new KeyValuePair<string, object?>("code", code));
        Log.ProtocolError(_logger, Id, code, reason);
    }

    /// <summary>A close frame's reason is limited to 123 bytes.</summary>
    public static string CloseDescription(string reason) => Encoding.UTF8.GetByteCount(reason) <= 120 ? reason : reason[..40];

    // Handshake refusals and the end of a session: read (and discard) until the peer's close frame, a short while at most.
    private async Task DrainUntilCloseAsync()
    {
        using var timeout = new CancellationTokenSource(CloseGrace, _time);
        await _reader.DrainUntilCloseAsync(timeout.Token).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _transport.Dispose();
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
