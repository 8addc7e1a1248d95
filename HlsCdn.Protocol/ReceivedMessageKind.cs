namespace HlsCdn.Protocol;

/// <summary>What <see cref="ProtocolMessageReader"/> read from the peer.</summary>
public enum ReceivedMessageKind
{
    /// <summary>A well-formed text message (<see cref="ReceivedMessage.Message"/>).</summary>
    Text,

    /// <summary>A text message that is not a protocol message.</summary>
    MalformedText,

    /// <summary>A text message over <see cref="ProtocolLimits.MaxTextMessageBytes"/> (not read to its end).</summary>
    TextTooBig,

    /// <summary>A binary message (<see cref="ReceivedMessage.Payload"/>, valid until the next receive).</summary>
    Binary,

    /// <summary>A binary message where none is allowed (not read).</summary>
    UnexpectedBinary,

    /// <summary>A binary message over the size limit (not read to its end).</summary>
    BinaryTooBig,

    /// <summary>The peer's close frame.</summary>
    Closed,
}
