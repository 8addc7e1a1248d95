namespace HlsCdn.Protocol;

/// <summary>The message types of the protocol (compared case-insensitively on the wire).</summary>
public static class MessageTypes
{
    /// <summary>Client → node: become the publisher of a stream.</summary>
    public const string Push = "PUSH";

    /// <summary>Client → node: become a spectator of a stream.</summary>
    public const string Pull = "PULL";

    /// <summary>Node → client: the PUSH or PULL was accepted.</summary>
    public const string Ok = "OK";

    /// <summary>Both: a fragment follows as the next binary message.</summary>
    public const string Fragment = "F";

    /// <summary>Both: the stream ended.</summary>
    public const string Close = "CLOSE";

    /// <summary>Both: heartbeat.</summary>
    public const string Heartbeat = "H";

    /// <summary>Both: error; the sender closes the connection afterwards.</summary>
    public const string Error = "E";
}

/// <summary>Parameter names used by the protocol's messages.</summary>
public static class MessageParameters
{
    /// <summary>The stream identifier (PUSH, PULL).</summary>
    public const string Stream = "stream";

    /// <summary>The JWT authorising the request (PUSH, PULL).</summary>
    public const string Auth = "auth";

    /// <summary>PULL: only a local source may serve the stream (no relaying further).</summary>
    public const string OnlySource = "only_source";

    /// <summary>PULL: how many buffered fragments to send first.</summary>
    public const string MaxInitialFragments = "max_initial_fragments";

    /// <summary>F: the fragment's duration in seconds.</summary>
    public const string Duration = "duration";

    /// <summary>E: the error code.</summary>
    public const string Code = "code";

    /// <summary>E: the human-readable error message.</summary>
    public const string Message = "message";
}

/// <summary>Error codes carried by <c>E</c> messages.</summary>
public static class ErrorCodes
{
    /// <summary>A message arrived that the protocol does not allow at this point, or was malformed.</summary>
    public const string ProtocolError = "PROTOCOL_ERROR";

    /// <summary>The token is missing, invalid, expired or for another stream.</summary>
    public const string AuthError = "AUTH_ERROR";

    /// <summary>The stream was taken over by another publisher.</summary>
    public const string PushError = "PUSH_ERROR";

    /// <summary>The <c>F</c> message's metadata (duration) is invalid.</summary>
    public const string FragmentMetadataError = "FRAGMENT_METADATA_ERROR";

    /// <summary>Extension: this node does not accept publishers (an edge node, or push disabled).</summary>
    public const string PushNotAllowed = "PUSH_NOT_ALLOWED";

    /// <summary>Extension: a fragment is larger than the node's limit.</summary>
    public const string FragmentTooLarge = "FRAGMENT_TOO_LARGE";

    /// <summary>Extension: the spectator could not keep up and was disconnected by the slow-subscriber policy.</summary>
    public const string SlowSubscriber = "SLOW_SUBSCRIBER";

    /// <summary>Extension: the node is shutting down; reconnect (to another node).</summary>
    public const string NodeShutdown = "NODE_SHUTDOWN";
}
