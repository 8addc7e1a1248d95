namespace HlsCdn.Client;

/// <summary>The former name of <see cref="SpectatorEndReason"/> (same members and values), kept so that existing code compiles.</summary>
[Obsolete("Renamed to SpectatorEndReason: it is why a spectator's enumeration ended, not why the stream did.")]
public enum StreamEndReason
{
    /// <summary>It has not ended.</summary>
    None = SpectatorEndReason.None,

    /// <summary>The node sent <c>CLOSE</c>: the stream ended (or does not exist).</summary>
    StreamClosed = SpectatorEndReason.StreamClosed,

    /// <summary>An <c>E</c> message or a protocol violation ended it.</summary>
    ProtocolError = SpectatorEndReason.ProtocolError,

    /// <summary>The connection dropped and was not (or could no longer be) re-established.</summary>
    ConnectionLost = SpectatorEndReason.ConnectionLost,

    /// <summary>The caller cancelled or disposed.</summary>
    Cancelled = SpectatorEndReason.Cancelled,
}
