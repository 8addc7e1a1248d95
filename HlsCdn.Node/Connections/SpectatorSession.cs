using System.Net.WebSockets;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Streams;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Serves one spectator of a stream: its queue and writer (a <see cref="ConnectionOutbox"/>), the slow-spectator
/// policy when that queue is full (so neither the publisher nor other spectators ever wait for it), the counts of what
/// it was sent and dropped (its own; the stream sums them when asked), and its read loop (heartbeats, CLOSE).
/// </summary>
internal sealed class SpectatorSession : IStreamSpectator
{
    private readonly NodeConnection _connection;
    private readonly NodeOptions _options;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConnectionOutbox _outbox;
    private LiveStream? _stream;
    private long _dropped;
    private int _slowLogged;

    public SpectatorSession(NodeConnection connection, NodeOptions options, NodeMetrics metrics, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        var capacity = Math.Max(options.SpectatorQueueLength, options.FragmentBufferMaxLength + 1);
        _outbox = new ConnectionOutbox(connection, capacity, options.SlowSpectatorPolicy == SlowSpectatorPolicy.DropOldest, OnDropped, logger);
    }

    /// <summary>The connection's writer.</summary>
    public ConnectionOutbox Outbox => _outbox;

    /// <summary>Fragments the slow-spectator policy dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public long LowestUnsentSequence => _outbox.LowestUnsentSequence;

    /// <inheritdoc />
    public long FragmentsSent => _outbox.FragmentsSent;

    /// <inheritdoc />
    public long BytesSent => _outbox.BytesSent;

    /// <summary>The stream spectated, once joined (for logs and drop counts).</summary>
    public LiveStream? Stream
    {
        get => Volatile.Read(ref _stream);
        set => Volatile.Write(ref _stream, value);
    }

    /// <inheritdoc />
    public void Enqueue(Fragment fragment)
    {
        if (_outbox.TryEnqueue(fragment))
        {
            return;
        }

        // Only reached with policy Disconnect (DropOldest always accepts), or when the connection is finishing.
        if (!_outbox.IsFinishing && _options.SlowSpectatorPolicy == SlowSpectatorPolicy.Disconnect)
        {
            Log.SlowSpectatorDisconnected(_logger, _connection.Id, Stream?.Id ?? "?");
            _metrics.SlowDisconnects.Add(1);
            _outbox.Fail(ErrorCodes.SlowSubscriber, "spectator could not keep up with the stream");
        }
    }

    /// <inheritdoc />
    public void JoinedAt(long sequence) => _outbox.ExpectFrom(sequence);

    /// <inheritdoc />
    public void OnStreamEnded(LiveStreamEndReason reason)
    {
        if (reason == LiveStreamEndReason.NodeShutdown)
        {
            _outbox.Fail(ErrorCodes.NodeShutdown, "node is shutting down; reconnect", discardQueued: false);
        }
        else
        {
            _outbox.CloseStream();
        }
    }

    /// <summary>The spectator's read loop: heartbeats until it leaves (<c>CLOSE</c>, <c>E</c> or the socket closing).</summary>
    public async Task ReadUntilGoneAsync()
    {
        while (true)
        {
            var inbound = await _connection.ReceiveAsync(allowBinary: false).ConfigureAwait(false);
            switch (inbound.Kind)
            {
                case ReceivedMessageKind.Closed:
                    return;
                case ReceivedMessageKind.TextTooBig:
                    _outbox.Close(WebSocketCloseStatus.MessageTooBig, "text message too big");
                    return;
                case ReceivedMessageKind.UnexpectedBinary:
                case ReceivedMessageKind.BinaryTooBig:
                    _outbox.Fail(ErrorCodes.ProtocolError, "spectators do not send binary messages");
                    return;
                case ReceivedMessageKind.MalformedText:
                    _outbox.Fail(ErrorCodes.ProtocolError, "malformed message");
                    return;
                case ReceivedMessageKind.Text when inbound.Message!.Is(MessageTypes.Heartbeat):
                    continue;
                case ReceivedMessageKind.Text when inbound.Message!.Is(MessageTypes.Close) || inbound.Message!.Is(MessageTypes.Error):
                    _outbox.Close(WebSocketCloseStatus.NormalClosure, "spectator left");
                    return;
                case ReceivedMessageKind.Text:
                    _outbox.Fail(ErrorCodes.ProtocolError, $"unexpected {inbound.Message!.Type} from a spectator");
                    return;
            }
        }
    }

    private void OnDropped(Fragment fragment)
    {
        Interlocked.Increment(ref _dropped);
        Stream?.CountDrop();
        _metrics.Drops.Add(1);
        if (Interlocked.Exchange(ref _slowLogged, 1) == 0)
        {
            Log.SlowSpectatorDropping(_logger, _connection.Id, Stream?.Id ?? "?");
        }
    }
}
