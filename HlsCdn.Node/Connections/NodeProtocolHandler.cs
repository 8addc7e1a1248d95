using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
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
    private readonly NodeOptions _options;
    private readonly StreamDirectory _directory;
    private readonly IStreamResolver _resolver;
    private readonly IEnumerable<IStreamLifecycleObserver> _observers;
    private readonly ConnectionTracker _tracker;
    private readonly ConnectionCounter _counter;
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
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _pushTokens = new StreamTokenValidator(_options.PushSecret, _options.TokenClockSkew, time);
        _pullTokens = new StreamTokenValidator(_options.PullSecret, _options.TokenClockSkew, time);
    }

    public async Task RunAsync(WebSocket socket, WebSocketTransport transport, string? remoteAddress, CancellationToken aborted)
    {
        var connection = new NodeConnection(_tracker.NextId(), socket, transport, _options, _metrics, _logger, _time);
        using var activity = NodeActivities.Source.StartActivity("hlscdn.connection", ActivityKind.Server);
        activity?.SetTag("hlscdn.connection.id", connection.Id);
        _tracker.Add(connection);
        _counter.Opened();
        Log.ConnectionOpened(_logger, connection.Id, remoteAddress);
        try
        {
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
        InboundMessage inbound;
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
            case InboundKind.Text:
                return inbound.Message;
            case InboundKind.TextTooBig:
                await connection.RefuseAsync(null, "text message too big", WebSocketCloseStatus.MessageTooBig).ConfigureAwait(false);
                return null;
            case InboundKind.MalformedText:
                await connection.RefuseAsync(ErrorCodes.ProtocolError, "malformed message").ConfigureAwait(false);
                return null;
            case InboundKind.UnexpectedBinary:
            case InboundKind.BinaryTooBig:
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
        var feed = new PublisherFeed(connection);
        var tookOver = _directory.TryGet(streamId, out var existing) && !existing.IsEnded;
        var stream = _directory.Attach(streamId, feed);
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
            await connection.SendHandshakeAsync(Messages.Ok).ConfigureAwait(false);
            connection.StartWriter();
            closedByPublisher = await ReadFragmentsAsync(connection, stream, feed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            Log.ConnectionAborted(_logger, connection.Id, ex.Message);
        }
        finally
        {
            var reason = closedByPublisher ? StreamEndReason.Closed : StreamEndReason.SourceLost;
            if (stream.End(feed, reason))
            {
                Log.StreamEnded(_logger, streamId, reason.ToString());
                await NotifyAsync(o => o.OnUnpublishedAsync(streamId, CancellationToken.None)).ConfigureAwait(false);
            }

            await connection.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The publisher's read loop: <c>F</c> + binary pairs until <c>CLOSE</c>. Returns whether it ended with <c>CLOSE</c>.</summary>
    private async Task<bool> ReadFragmentsAsync(NodeConnection connection, LiveStream stream, PublisherFeed feed)
    {
        double? pendingDuration = null;
        while (!feed.IsTakenOver)
        {
            var inbound = await connection.ReceiveAsync(allowBinary: pendingDuration is not null).ConfigureAwait(false);
            switch (inbound.Kind)
            {
                case InboundKind.Closed:
                    return false;
                case InboundKind.TextTooBig:
                    connection.Close(WebSocketCloseStatus.MessageTooBig, "text message too big");
                    return false;
                case InboundKind.BinaryTooBig:
                    connection.Fail(ErrorCodes.FragmentTooLarge, $"fragment exceeds {_options.MaxBinaryMessageSize} bytes");
                    return false;
                case InboundKind.UnexpectedBinary:
                    connection.Fail(ErrorCodes.ProtocolError, "binary message without a preceding F");
                    return false;
                case InboundKind.MalformedText:
                    connection.Fail(ErrorCodes.ProtocolError, "malformed message");
                    return false;
                case InboundKind.Binary:
                    if (inbound.Payload.IsEmpty)
                    {
                        connection.Fail(ErrorCodes.ProtocolError, "empty fragment");
                        return false;
                    }

                    // The one copy of a fragment: out of the connection's reusable receive buffer into its own array,
                    // which the stream's buffer and every subscriber then share.
                    var data = GC.AllocateUninitializedArray<byte>(inbound.Payload.Length);
                    inbound.Payload.Span.CopyTo(data);
                    if (stream.Publish(feed, data, pendingDuration!.Value))
                    {
                        _metrics.FragmentsIn.Add(1);
                        _metrics.BytesIn.Add(data.Length);
                    }

                    pendingDuration = null;
                    break;
                case InboundKind.Text:
                    // After F the next message is the fragment's binary message, never a text message (H included).
                    var message = inbound.Message!;
                    if (pendingDuration is not null)
                    {
                        connection.Fail(ErrorCodes.ProtocolError, $"expected the fragment's binary message, got {message.Type}");
                        return false;
                    }

                    if (message.Is(MessageTypes.Heartbeat))
                    {
                        break;
                    }

                    if (message.Is(MessageTypes.Fragment))
                    {
                        if (!ProtocolMessage.TryParseDuration(message.Get(MessageParameters.Duration), out var duration))
                        {
                            connection.Fail(ErrorCodes.FragmentMetadataError, "duration must be a number of seconds greater than 0");
                            return false;
                        }

                        pendingDuration = duration;
                    }
                    else if (message.Is(MessageTypes.Close))
                    {
                        connection.Close(WebSocketCloseStatus.NormalClosure, "stream closed", discardQueued: false);
                        return true;
                    }
                    else if (message.Is(MessageTypes.Error))
                    {
                        connection.Close(WebSocketCloseStatus.NormalClosure, "publisher error");
                        return false;
                    }
                    else
                    {
                        connection.Fail(ErrorCodes.ProtocolError, $"unexpected {message.Type} from a publisher");
                        return false;
                    }

                    break;
            }
        }

        return false;
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

        // Subscribe before OK, with no await in between: the queue holds the initial fragments until the writer
        // starts, and a relay just opened for this spectator never sees a moment without subscribers.
        var subscribed = stream is not null && stream.TryAddSubscriber(connection, maxInitial);
        await connection.SendHandshakeAsync(Messages.Ok).ConfigureAwait(false);
        connection.StartWriter();
        if (!subscribed || stream is null)
        {
            Log.StreamNotFound(_logger, streamId, connection.Id);
            connection.CloseStream();
            await DrainAsync(connection).ConfigureAwait(false);
            await connection.CompleteAsync().ConfigureAwait(false);
            return;
        }

        connection.Subscription = stream;
        _metrics.Subscribers.Add(1);
        Log.SpectatorJoined(_logger, connection.Id, streamId, maxInitial);
        try
        {
            await ReadSpectatorMessagesAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            stream.RemoveSubscriber(connection);
            _metrics.Subscribers.Add(-1);
            if (connection.Dropped > 0)
            {
                Log.SlowSubscriberSummary(_logger, connection.Id, streamId, connection.Dropped);
            }

            await connection.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static async Task ReadSpectatorMessagesAsync(NodeConnection connection)
    {
        while (true)
        {
            var inbound = await connection.ReceiveAsync(allowBinary: false).ConfigureAwait(false);
            switch (inbound.Kind)
            {
                case InboundKind.Closed:
                    return;
                case InboundKind.TextTooBig:
                    connection.Close(WebSocketCloseStatus.MessageTooBig, "text message too big");
                    return;
                case InboundKind.UnexpectedBinary:
                case InboundKind.BinaryTooBig:
                    connection.Fail(ErrorCodes.ProtocolError, "spectators do not send binary messages");
                    return;
                case InboundKind.MalformedText:
                    connection.Fail(ErrorCodes.ProtocolError, "malformed message");
                    return;
                case InboundKind.Text when inbound.Message!.Is(MessageTypes.Heartbeat):
                    continue;
                case InboundKind.Text when inbound.Message!.Is(MessageTypes.Close) || inbound.Message!.Is(MessageTypes.Error):
                    connection.Close(WebSocketCloseStatus.NormalClosure, "spectator left");
                    return;
                case InboundKind.Text:
                    connection.Fail(ErrorCodes.ProtocolError, $"unexpected {inbound.Message!.Type} from a spectator");
                    return;
            }
        }
    }

    // After OK + CLOSE: read until the peer closes (the writer aborts if it does not, after a grace period).
    private static async Task DrainAsync(NodeConnection connection)
    {
        while ((await connection.ReceiveAsync(allowBinary: false).ConfigureAwait(false)).Kind != InboundKind.Closed)
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
