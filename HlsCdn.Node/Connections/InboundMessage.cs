using HlsCdn.Protocol;

namespace HlsCdn.Node.Connections;

/// <summary>What a connection's read loop got from the peer.</summary>
internal enum InboundKind
{
    /// <summary>A well-formed text message (<see cref="InboundMessage.Message"/>).</summary>
    Text,

    /// <summary>A text message that is not a protocol message.</summary>
    MalformedText,

    /// <summary>A text message over 1600 bytes (not read to its end).</summary>
    TextTooBig,

    /// <summary>A binary message (<see cref="InboundMessage.Payload"/>, valid until the next receive).</summary>
    Binary,

    /// <summary>A binary message where none is allowed (not read).</summary>
    UnexpectedBinary,

    /// <summary>A binary message over the size limit (not read to its end).</summary>
    BinaryTooBig,

    /// <summary>The peer closed (close frame) or the connection dropped.</summary>
    Closed,
}

internal readonly record struct InboundMessage(InboundKind Kind, ProtocolMessage? Message = null, ReadOnlyMemory<byte> Payload = default)
{
    public static InboundMessage Closed { get; } = new(InboundKind.Closed);
}
