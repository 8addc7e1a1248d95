namespace HlsCdn.Client;

/// <summary>Why a <see cref="StreamSpectator"/>'s enumeration ended (formerly <c>StreamEndReason</c>, kept as an obsolete copy).</summary>
public enum SpectatorEndReason
{
    /// <summary>It has not ended.</summary>
    None,

    /// <summary>The node sent <c>CLOSE</c>: the stream ended (or does not exist).</summary>
    StreamClosed,

    /// <summary>An <c>E</c> message or a protocol violation ended it.</summary>
    ProtocolError,

    /// <summary>The connection dropped and was not (or could no longer be) re-established.</summary>
    ConnectionLost,

    /// <summary>The caller cancelled or disposed.</summary>
    Cancelled,
}
