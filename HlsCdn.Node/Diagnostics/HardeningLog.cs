using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Diagnostics;

/// <summary>Log messages of shutdown, limits and TLS (source-generated; event ids 100+). Never a secret, token or key.</summary>
internal static partial class HardeningLog
{
    [LoggerMessage(100, LogLevel.Information, "Node shutting down: refusing new sessions, ending {Streams} streams and {Connections} connections with NODE_SHUTDOWN (at most {Timeout})")]
    public static partial void ShutdownStarted(ILogger logger, int streams, int connections, TimeSpan timeout);

    [LoggerMessage(101, LogLevel.Information, "Node shutdown drained in {Elapsed}: {Remaining} connections left")]
    public static partial void ShutdownDrained(ILogger logger, TimeSpan elapsed, int remaining);

    [LoggerMessage(102, LogLevel.Warning, "Stream observer {Observer} failed to handle the end of stream {StreamId} during shutdown: {Error}")]
    public static partial void ShutdownObserverFailed(ILogger logger, string observer, string streamId, string error);

    [LoggerMessage(103, LogLevel.Debug, "Refused a WebSocket upgrade from {RemoteAddress}: node shutting down (503)")]
    public static partial void RefusedShuttingDown(ILogger logger, string? remoteAddress);

    [LoggerMessage(104, LogLevel.Debug, "Refused a WebSocket upgrade from {RemoteAddress}: origin {Origin} not allowed (403)")]
    public static partial void RefusedOrigin(ILogger logger, string? remoteAddress, string origin);

    [LoggerMessage(105, LogLevel.Debug, "Rate limit: rejected {Kind} request from {RemoteAddress} (429)")]
    public static partial void RateLimited(ILogger logger, string kind, string? remoteAddress);

    [LoggerMessage(106, LogLevel.Information, "TLS certificate loaded: subject {Subject}, thumbprint {Thumbprint}, expires {NotAfter}")]
    public static partial void CertificateLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(107, LogLevel.Error, "TLS certificate files changed but could not be loaded; keeping the current certificate: {Error}")]
    public static partial void CertificateReloadFailed(ILogger logger, string error);

    [LoggerMessage(108, LogLevel.Debug, "Connection closed during its handshake: {Error}")]
    public static partial void HandshakeAborted(ILogger logger, string error);
}
