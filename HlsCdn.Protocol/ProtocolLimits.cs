namespace HlsCdn.Protocol;

/// <summary>Fixed limits and defaults of the protocol.</summary>
public static class ProtocolLimits
{
    /// <summary>Text messages larger than this are refused (WebSocket close status 1009).</summary>
    public const int MaxTextMessageBytes = 1600;

    /// <summary>Default limit for binary (fragment) messages: 50 MiB.</summary>
    public const int DefaultMaxBinaryMessageBytes = 50 * 1024 * 1024;

    /// <summary>Longest stream identifier accepted, in characters.</summary>
    public const int MaxStreamIdLength = 255;

    /// <summary>Default number of recent fragments a stream keeps for joining spectators.</summary>
    public const int DefaultFragmentBufferMaxLength = 10;

    /// <summary>A side that has sent nothing for this long sends <c>H</c>.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    /// <summary>A side that has received nothing for this long may close the connection.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The first message must arrive within this time of connecting.</summary>
    public static readonly TimeSpan FirstMessageTimeout = TimeSpan.FromSeconds(30);
}
