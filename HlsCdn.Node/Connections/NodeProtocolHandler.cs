using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Shutdown;
using HlsCdn.Node.Streams;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Runs the protocol of protocol.md on one accepted WebSocket: the first message (PUSH or PULL) within the deadline,
/// authentication, then the publisher's or the spectator's read loop. Every error answers as protocol.md says.
/// </summary>
internal sealed class NodeProtocolHandler
{
    private static readonly byte[] OkFrame = WebSocketFrame.Text(Messages.Ok);

    private readonly NodeOptions _options;
    private readonly StreamDirectory _directory;
    private readonly IStreamResolver _resolver;
    private readonly IEnumerable<IStreamLifecycleObserver> _observers;
    private readonly ConnectionTracker _tracker;
    private readonly ConnectionCounter _counter;
    private readonly NodeLifecycle _lifecycle;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly StreamTokenValidator _pushTokens;
    private readonly StreamTokenValidator _pullTokens;

    public NodeProtocolHandler(
        IOptions<NodeOptions> options,
        StreamDirectory directory,
        IStreamResolver resolver,
        IEnumerable<IStreamLifecycleObserver> observers,
        ConnectionTracker tracker,
        ConnectionCounter counter,
        NodeLifecycle lifecycle,
        NodeMetrics metrics,
        ILogger<NodeProtocolHandler> logger,
        TimeProvider time)
    {
        _options = options.Value;
        _directory = directory;
        _resolver = resolver;
        _observers = observers;
        _tracker = tracker;
        _counter = counter;
        _lifecycle = lifecycle;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _pushTokens = new StreamTokenValidator(_options.PushSecret, _options.TokenClockSkew, time);
        _pullTokens = new StreamTokenValidator(_options.PullSecret, _options.TokenClockSkew, time);
    }

    /// <summary>Runs the session of <paramref name="socket"/>.</summary>
    /// <param name="socket">The accepted WebSocket.</param>
    /// <param name="transport">The transport under it.</param>
    /// <param name="remoteAddress">The peer's address, for the log.</param>
    /// <param name="parent">The trace context of the upgrade request (the session may outlive the request).</param>
    /// <param name="aborted">Fires when the connection is gone.</param>
    public async Task RunAsync(WebSocket socket, WebSocketTransport transport, string? remoteAddress, ActivityContext parent, CancellationToken aborted)
    {
        var connection = new NodeConnection(_tracker.NextId(), socket, transport, _options, _metrics, _logger, _time);
        using var activity = NodeActivities.Source.StartActivity("hlscdn.connection", ActivityKind.Server, parent);
        activity?.SetTag("hlscdn.connection.id", connection.Id);
        _tracker.Add(connection);
        _counter.Opened();
        Log.ConnectionOpened(_logger, connection.Id, remoteAddress);
        try
        {
            // A session whose upgrade was answered just before shutdown began can start after shutdown's last sweep of
            // the tracker (the HTTP request hands the connection over first); nothing would then cut it, and the host
            // would wait its whole shutdown timeout for it. It has not been answered OK, so it is dropped, as the
            // sweep drops every session still in its handshake.
            if (_lifecycle.IsStopping)
            {
                connection.Abort();
                return;
            }

            var first = await ReceiveFirstAsync(connection, aborted).ConfigureAwait(false);
            if (first is null)
            {
                return;
            }

            activity?.SetTag("hlscdn.message", first.Type);
            if (first.Is(MessageTypes.Push))
            {
                await RunPublisherAsync(connection, first, activity, aborted).ConfigureAwait(false);
            }
            else if (first.Is(MessageTypes.Pull))
            {
                await RunSpectatorAsync(connection, first, activity, aborted).ConfigureAwait(false);
            }
            else
            {
                await connection.RefuseAsync(ErrorCodes.ProtocolError, $"expected PUSH or PULL, got {first.Type}").ConfigureAwait(false);
            }
        }
        finally
        {
            _tracker.Remove(connection);
            _counter.Closed();
            await connection.DisposeAsync().ConfigureAwait(false);
            Log.ConnectionClosed(_logger, connection.Id);
        }
    }

    // The first message must be PUSH or PULL (anything else, H included, is a protocol error) and arrive within the deadline.
    private async Task<ProtocolMessage?> ReceiveFirstAsync(NodeConnection connection, CancellationToken aborted)
    {
        var remaining = _options.FirstMessageTimeout - connection.SinceConnected;
        var receive = connection.ReceiveAsync(allowBinary: false, aborted).AsTask();
        ReceivedMessage inbound;
        try
        {
            inbound = await receive.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time, aborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var seconds = _options.FirstMessageTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            await connection.RefuseAsync(ErrorCodes.ProtocolError, $"no PUSH or PULL within {seconds} s", pendingReceive: receive).ConfigureAwait(false);
            return null;
        }

        switch (inbound.Kind)
        {
            case ReceivedMessageKind.Text:
                return inbound.Message;
            case ReceivedMessageKind.TextTooBig:
                await connection.RefuseAsync(null, "text message too big", WebSocketCloseStatus.MessageTooBig).ConfigureAwait(false);
                return null;
            case ReceivedMessageKind.MalformedText:
                await connection.RefuseAsync(ErrorCodes.ProtocolError, "malformed message").ConfigureAwait(false);
                return null;
            case ReceivedMessageKind.UnexpectedBinary:
            case ReceivedMessageKind.BinaryTooBig:
                await connection.RefuseAsync(ErrorCodes.ProtocolError, "expected PUSH or PULL, got a binary message").ConfigureAwait(false);
                return null;
            default:
                return null;
        }
    }

    private async Task RunPublisherAsync(NodeConnection connection, ProtocolMessage push, Activity? activity, CancellationToken aborted)
    {
        if (_options.Role != NodeRole.Publish || !_options.PushAllowed)
        {
            await Refuse(connection, ErrorCodes.PushNotAllowed, "this node does not accept publishers (PUSH)").ConfigureAwait(false);
            return;
        }

        var streamId = push.Get(MessageParameters.Stream);
        if (!StreamIds.IsValid(streamId))
        {
            await Refuse(connection, ErrorCodes.ProtocolError, "missing or invalid stream id").ConfigureAwait(false);
            return;
        }

        var check = await _pushTokens.ValidateAsync(push.Get(MessageParameters.Auth), StreamAccess.Push, streamId).ConfigureAwait(false);
        if (!check.IsValid)
        {
            await Refuse(connection, ErrorCodes.AuthError, check.Reason!).ConfigureAwait(false);
            return;
        }

        activity?.SetTag("hlscdn.stream", streamId);
        var publisher = new PublisherSession(connection, _options, _metrics, _logger);
        var tookOver = _directory.TryGet(streamId, out var existing) && !existing.IsEnded;
        var stream = _directory.Attach(streamId, publisher);
        if (tookOver)
        {
            _metrics.Takeovers.Add(1);
            Log.StreamTakenOver(_logger, streamId, connection.Id);
        }

        Log.PublisherStarted(_logger, connection.Id, streamId);
        await NotifyAsync(o => o.OnPublishedAsync(streamId, aborted)).ConfigureAwait(false);
        var closedByPublisher = false;
        try
        {
            await connection.SendAsync(OkFrame).ConfigureAwait(false);
            connection.Establish(publisher.Outbox);
            closedByPublisher = await publisher.ReadFragmentsAsync(stream).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            Log.ConnectionAborted(_logger, connection.Id, ex.Message);
        }
        finally
        {
            var reason = closedByPublisher ? LiveStreamEndReason.Closed : LiveStreamEndReason.SourceLost;
            if (stream.End(publisher, reason))
            {
                Log.StreamEnded(_logger, streamId, reason.ToString());
                await NotifyAsync(o => o.OnUnpublishedAsync(streamId, CancellationToken.None)).ConfigureAwait(false);
            }

            await connection.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task RunSpectatorAsync(NodeConnection connection, ProtocolMessage pull, Activity? activity, CancellationToken aborted)
    {
        var streamId = pull.Get(MessageParameters.Stream);
        if (!StreamIds.IsValid(streamId))
        {
            await Refuse(connection, ErrorCodes.ProtocolError, "missing or invalid stream id").ConfigureAwait(false);
            return;
        }

        int? maxInitial = null;
        if (pull.Get(MessageParameters.MaxInitialFragments) is { } maxText)
        {
            if (!int.TryParse(maxText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) || max < 0)
            {
                await Refuse(connection, ErrorCodes.ProtocolError, "max_initial_fragments must be a whole number >= 0").ConfigureAwait(false);
                return;
            }

            maxInitial = max;
        }

        var onlySource = string.Equals(pull.Get(MessageParameters.OnlySource), "true", StringComparison.OrdinalIgnoreCase);
        var check = await _pullTokens.ValidateAsync(pull.Get(MessageParameters.Auth), StreamAccess.Pull, streamId).ConfigureAwait(false);
        if (!check.IsValid)
        {
            await Refuse(connection, ErrorCodes.AuthError, check.Reason!).ConfigureAwait(false);
            return;
        }

        activity?.SetTag("hlscdn.stream", streamId);
        var stream = await _resolver.ResolveAsync(streamId, onlySource, aborted).ConfigureAwait(false);

        // Join before OK, with no await in between: the queue holds the initial fragments until the writer
        // starts, and a relay just opened for this spectator never sees a moment without spectators.
        var spectator = new SpectatorSession(connection, _options, _metrics, _logger);
        var joined = stream is not null && stream.TryAddSpectator(spectator, maxInitial);
        try
        {
            await connection.SendAsync(OkFrame).ConfigureAwait(false);
        }
        catch when (joined)
        {
            // The peer is gone before the writer started: it never will, and the stream must not wait on it.
            spectator.Outbox.Discard();
            stream!.RemoveSpectator(spectator);
            throw;
        }

        connection.Establish(spectator.Outbox);
        if (!joined || stream is null)
        {
            Log.StreamNotFound(_logger, streamId, connection.Id);
            spectator.Outbox.CloseStream();
            await DrainAsync(connection).ConfigureAwait(false);
            await connection.CompleteAsync().ConfigureAwait(false);
            return;
        }

        spectator.Stream = stream;
        _metrics.Spectators.Add(1);
        Log.SpectatorJoined(_logger, connection.Id, streamId, maxInitial);
        try
        {
            await spectator.ReadUntilGoneAsync().ConfigureAwait(false);
        }
        finally
        {
            stream.RemoveSpectator(spectator);
            _metrics.Spectators.Add(-1);
            if (spectator.Dropped > 0)
            {
                Log.SlowSpectatorSummary(_logger, connection.Id, streamId, spectator.Dropped);
            }

            await connection.CompleteAsync().ConfigureAwait(false);
        }
    }

    // After OK + CLOSE: read until the peer closes (the writer aborts if it does not, after a grace period).
    private static async Task DrainAsync(NodeConnection connection)
    {
        while ((await connection.ReceiveAsync(allowBinary: false).ConfigureAwait(false)).Kind != ReceivedMessageKind.Closed)
        {
        }
    }

    private Task Refuse(NodeConnection connection, string code, string reason)
    {
        Log.ConnectionRefused(_logger, connection.Id, code, reason);
        return connection.RefuseAsync(code, reason);
    }

    private async Task NotifyAsync(Func<IStreamLifecycleObserver, ValueTask> notify)
    {
        foreach (var observer in _observers)
        {
            await notify(observer).ConfigureAwait(false);
        }
    }
}
