using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Diagnostics;

/// <summary>The engine's log messages (source-generated). Tokens and secrets are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Connection {ConnectionId} opened from {RemoteAddress}")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, string? remoteAddress);

    [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId);

    [LoggerMessage(3, LogLevel.Information, "Publisher connection {ConnectionId} started stream {StreamId}")]
    public static partial void PublisherStarted(ILogger logger, long connectionId, string streamId);

    [LoggerMessage(4, LogLevel.Information, "Stream {StreamId} ended: {Reason}")]
    public static partial void StreamEnded(ILogger logger, string streamId, string reason);

    [LoggerMessage(5, LogLevel.Information, "Stream {StreamId} taken over by publisher connection {ConnectionId}")]
    public static partial void StreamTakenOver(ILogger logger, string streamId, long connectionId);

    [LoggerMessage(6, LogLevel.Debug, "Spectator connection {ConnectionId} joined stream {StreamId} with {Initial} initial fragments requested")]
    public static partial void SpectatorJoined(ILogger logger, long connectionId, string streamId, int? initial);

    [LoggerMessage(7, LogLevel.Debug, "Stream {StreamId} not found for connection {ConnectionId}")]
    public static partial void StreamNotFound(ILogger logger, string streamId, long connectionId);

    [LoggerMessage(8, LogLevel.Information, "Connection {ConnectionId} refused: {Code} {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, long connectionId, string code, string reason);

    [LoggerMessage(9, LogLevel.Warning, "Spectator connection {ConnectionId} on stream {StreamId} is too slow; dropping its oldest queued fragments (policy DropOldest)")]
    public static partial void SlowSpectatorDropping(ILogger logger, long connectionId, string streamId);

    [LoggerMessage(10, LogLevel.Warning, "Spectator connection {ConnectionId} on stream {StreamId} is too slow; disconnecting it (policy Disconnect)")]
    public static partial void SlowSpectatorDisconnected(ILogger logger, long connectionId, string streamId);

    [LoggerMessage(11, LogLevel.Information, "Spectator connection {ConnectionId} on stream {StreamId} left; {Dropped} fragments were dropped for it")]
    public static partial void SlowSpectatorSummary(ILogger logger, long connectionId, string streamId, long dropped);

    [LoggerMessage(12, LogLevel.Debug, "Connection {ConnectionId} aborted: {Reason}")]
    public static partial void ConnectionAborted(ILogger logger, long connectionId, string reason);

    [LoggerMessage(13, LogLevel.Warning, "{Setting} is empty: {Purpose} tokens are not checked (authentication disabled)")]
    public static partial void SecretEmpty(ILogger logger, string setting, string purpose);

    [LoggerMessage(14, LogLevel.Warning, "{Setting} is shorter than 32 bytes: tokens signed with it are easy to forge; use a long random secret")]
    public static partial void SecretWeak(ILogger logger, string setting);

    [LoggerMessage(15, LogLevel.Debug, "Connection {ConnectionId} sent a protocol error: {Code} {Reason}")]
    public static partial void ProtocolError(ILogger logger, long connectionId, string code, string reason);

    [LoggerMessage(16, LogLevel.Information, "Node started: role {Role}, WebSocket path {Path}, push {PushAllowed}, buffer {BufferLength} fragments, memory limit {LimitMB} MiB")]
    public static partial void NodeStarted(ILogger logger, string role, string path, bool pushAllowed, int bufferLength, string limitMB);

    [LoggerMessage(17, LogLevel.Information, "Connections fell from {Peak} to {Count}: memory trimmed, managed heap {BeforeKiB} KiB -> {AfterKiB} KiB")]
    public static partial void MemoryTrimmed(ILogger logger, int peak, int count, long beforeKiB, long afterKiB);

    [LoggerMessage(108, LogLevel.Debug, "Connection closed during its handshake: {Error}")]
    public static partial void HandshakeAborted(ILogger logger, string error);
}
