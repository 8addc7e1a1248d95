namespace HlsCdn.Client;

/// <summary>The state of a <see cref="StreamPublisher"/>'s or <see cref="StreamSpectator"/>'s connection.</summary>
public enum StreamConnectionState
{
    /// <summary>Not connected yet.</summary>
    Disconnected,

    /// <summary>Opening the first connection.</summary>
    Connecting,

    /// <summary>Connected and accepted by the node (<c>OK</c> received).</summary>
    Connected,

    /// <summary>The connection dropped; reconnecting with backoff.</summary>
    Reconnecting,

    /// <summary>Closed normally (by the caller, or the stream ended).</summary>
    Closed,

    /// <summary>Stopped by an error that is not retried.</summary>
    Faulted,
}

/// <summary>Data of a connection state change.</summary>
public sealed class StreamConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public StreamConnectionStateChangedEventArgs(StreamConnectionState state, Uri? url, Exception? error)
    {
        State = state;
        Url = url;
        Error = error;
    }

    /// <summary>The new state.</summary>
    public StreamConnectionState State { get; }

    /// <summary>The node URL concerned (the one connected to, or the one lost), when known.</summary>
    public Uri? Url { get; }

    /// <summary>The error that caused the change, if any.</summary>
    public Exception? Error { get; }
}

/// <summary>A fragment (one MPEG-TS HLS segment) received from the node.</summary>
/// <param name="Data">The fragment's bytes; the array is the consumer's own (not reused by the spectator).</param>
/// <param name="Duration">The duration announced by the <c>F</c> message.</param>
public readonly record struct ReceivedFragment(ReadOnlyMemory<byte> Data, TimeSpan Duration);
