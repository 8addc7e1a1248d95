namespace HlsCdn.Protocol;

/// <summary>One message read by <see cref="ProtocolMessageReader"/>.</summary>
/// <param name="Kind">What was read.</param>
/// <param name="Message">The parsed text message, for <see cref="ReceivedMessageKind.Text"/>.</param>
/// <param name="Payload">The binary message's bytes, for <see cref="ReceivedMessageKind.Binary"/>: valid until the next receive.</param>
public readonly record struct ReceivedMessage(ReceivedMessageKind Kind, ProtocolMessage? Message = null, ReadOnlyMemory<byte> Payload = default)
{
    /// <summary>The peer's close frame.</summary>
    public static ReceivedMessage Closed { get; } = new(ReceivedMessageKind.Closed);
}
