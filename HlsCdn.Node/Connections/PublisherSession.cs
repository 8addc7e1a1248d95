using System.Net.WebSockets;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Streams;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Serves one publisher: as its stream's source it reads <c>F</c> + binary pairs until <c>CLOSE</c> and publishes each
/// fragment to the stream; taken over by a new publisher, it is told <c>PUSH_ERROR</c>. Its outbox carries only
/// heartbeats and the last message.
/// </summary>
internal sealed class PublisherSession : IStreamSource
{
    // A publisher is sent heartbeats and one last message, nothing else.
    private const int OutboxCapacity = 4;

    private readonly NodeConnection _connection;
    private readonly NodeOptions _options;
    private readonly NodeMetrics _metrics;
    private volatile bool _takenOver;

    public PublisherSession(NodeConnection connection, NodeOptions options, NodeMetrics metrics, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _metrics = metrics;
        Outbox = new ConnectionOutbox(connection, OutboxCapacity, dropOldest: true, onFragmentDropped: null, logger);
    }

    /// <summary>The connection's writer.</summary>
    public ConnectionOutbox Outbox { get; }

    public StreamSourceKind Kind => StreamSourceKind.Local;

    public string? Upstream => null;

    public bool IsTakenOver => _takenOver;

    public void OnTakenOver()
    {
        _takenOver = true;
        Outbox.Fail(ErrorCodes.PushError, "stream taken over by another publisher");
    }

    /// <summary>The publisher's read loop: <c>F</c> + binary pairs until <c>CLOSE</c>. Returns whether it ended with <c>CLOSE</c>.</summary>
    public async Task<bool> ReadFragmentsAsync(LiveStream stream)
    {
        double? pendingDuration = null;
        while (!_takenOver)
        {
            var inbound = await _connection.ReceiveAsync(allowBinary: pendingDuration is not null).ConfigureAwait(false);
            switch (inbound.Kind)
            {
                case ReceivedMessageKind.Closed:
                    return false;
                case ReceivedMessageKind.TextTooBig:
                    Outbox.Close(WebSocketCloseStatus.MessageTooBig, "text message too big");
                    return false;
                case ReceivedMessageKind.BinaryTooBig:
                    Outbox.Fail(ErrorCodes.FragmentTooLarge, $"fragment exceeds {_options.MaxBinaryMessageSize} bytes");
                    return false;
                case ReceivedMessageKind.UnexpectedBinary:
                    Outbox.Fail(ErrorCodes.ProtocolError, "binary message without a preceding F");
                    return false;
                case ReceivedMessageKind.MalformedText:
                    Outbox.Fail(ErrorCodes.ProtocolError, "malformed message");
                    return false;
                case ReceivedMessageKind.Binary:
                    if (inbound.Payload.IsEmpty)
                    {
                        Outbox.Fail(ErrorCodes.ProtocolError, "empty fragment");
                        return false;
                    }

                    // The one copy of a fragment: out of the connection's reusable receive buffer into a pooled array,
                    // which the stream's buffer and every spectator then share, and the stream reuses when all are done.
                    var length = inbound.Payload.Length;
                    var rented = stream.RentFragment(length);
                    inbound.Payload.Span.CopyTo(rented);
                    if (stream.PublishRented(this, rented, length, pendingDuration!.Value))
                    {
                        _metrics.FragmentsIn.Add(1);
                        _metrics.BytesIn.Add(length);
                    }

                    pendingDuration = null;
                    break;
                case ReceivedMessageKind.Text:
                    // After F the next message is the fragment's binary message, never a text message (H included).
                    var message = inbound.Message!;
                    if (pendingDuration is not null)
                    {
                        Outbox.Fail(ErrorCodes.ProtocolError, $"expected the fragment's binary message, got {message.Type}");
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
                            Outbox.Fail(ErrorCodes.FragmentMetadataError, "duration must be a number of seconds greater than 0");
                            return false;
                        }

                        pendingDuration = duration;
                    }
                    else if (message.Is(MessageTypes.Close))
                    {
                        Outbox.Close(WebSocketCloseStatus.NormalClosure, "stream closed", discardQueued: false);
                        return true;
                    }
                    else if (message.Is(MessageTypes.Error))
                    {
                        Outbox.Close(WebSocketCloseStatus.NormalClosure, "publisher error");
                        return false;
                    }
                    else
                    {
                        Outbox.Fail(ErrorCodes.ProtocolError, $"unexpected {message.Type} from a publisher");
                        return false;
                    }

                    break;
            }
        }

        return false;
    }
}
