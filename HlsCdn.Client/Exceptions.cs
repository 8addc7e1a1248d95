using HlsCdn.Protocol;

namespace HlsCdn.Client;

/// <summary>
/// A protocol-level error: either an <c>E</c> message received from the node (<see cref="IsRemote"/>), or a protocol
/// violation detected locally (a malformed message, a fragment without metadata, an oversize message, ...).
/// </summary>
public class StreamProtocolException : Exception
{
    /// <summary>Creates an exception with code <see cref="ErrorCodes.ProtocolError"/>.</summary>
    public StreamProtocolException()
        : this(ErrorCodes.ProtocolError, "Protocol error.")
    {
    }

    /// <summary>Creates an exception with code <see cref="ErrorCodes.ProtocolError"/> and <paramref name="message"/>.</summary>
    public StreamProtocolException(string message)
        : this(ErrorCodes.ProtocolError, message)
    {
    }

    /// <summary>Creates an exception with code <see cref="ErrorCodes.ProtocolError"/>, <paramref name="message"/> and an inner exception.</summary>
    public StreamProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.ProtocolError;
    }

    /// <summary>Creates an exception for error <paramref name="code"/>.</summary>
    /// <param name="code">The protocol error code, e.g. <see cref="ErrorCodes.AuthError"/>.</param>
    /// <param name="message">The human-readable message.</param>
    /// <param name="isRemote">Whether the error was received from the peer in an <c>E</c> message.</param>
    public StreamProtocolException(string code, string message, bool isRemote = false)
        : base(message)
    {
        Code = code;
        IsRemote = isRemote;
    }

    /// <summary>The protocol error code (<see cref="ErrorCodes"/>), e.g. <c>AUTH_ERROR</c>.</summary>
    public string Code { get; }

    /// <summary>Whether the error was sent by the node in an <c>E</c> message (rather than detected locally).</summary>
    public bool IsRemote { get; }

    internal static StreamProtocolException FromErrorMessage(ProtocolMessage message) =>
        new(message.Get(MessageParameters.Code) is { Length: > 0 } code ? code : ErrorCodes.ProtocolError,
            message.Get(MessageParameters.Message) ?? string.Empty,
            isRemote: true);
}

/// <summary>The connection to the node could not be opened, dropped, or timed out.</summary>
public class StreamConnectionException : IOException
{
    /// <summary>Creates an exception with a default message.</summary>
    public StreamConnectionException()
        : base("The connection to the node was lost.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public StreamConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public StreamConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
