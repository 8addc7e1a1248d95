using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Admission;

/// <summary>Log messages of <see cref="AdmissionMiddleware"/> (source-generated; event ids 103-104).</summary>
internal static partial class AdmissionLoggingExtensions
{
    [LoggerMessage(103, LogLevel.Debug, "Refused a WebSocket upgrade from {RemoteAddress}: node shutting down (503)")]
    public static partial void RefusedShuttingDown(this ILogger logger, string? remoteAddress);

    [LoggerMessage(104, LogLevel.Debug, "Refused a WebSocket upgrade from {RemoteAddress}: origin {Origin} not allowed (403)")]
    public static partial void RefusedOrigin(this ILogger logger, string? remoteAddress, string origin);
}
