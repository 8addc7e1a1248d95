using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Shutdown;

/// <summary>Log messages of graceful shutdown (source-generated; event ids 100-102).</summary>
internal static partial class ShutdownLoggingExtensions
{
    [LoggerMessage(101, LogLevel.Information, "Node shutdown drained in {Elapsed}: {Remaining} connections left")]
    public static partial void ShutdownDrained(this ILogger logger, TimeSpan elapsed, int remaining);

    [LoggerMessage(100, LogLevel.Information, "Node shutting down: refusing new sessions, ending {Streams} streams and {Connections} connections with NODE_SHUTDOWN (at most {Timeout})")]
    public static partial void ShutdownStarted(this ILogger logger, int streams, int connections, TimeSpan timeout);

    [LoggerMessage(102, LogLevel.Warning, "Stream observer {Observer} failed to handle the end of stream {StreamId} during shutdown: {Error}")]
    public static partial void ShutdownObserverFailed(this ILogger logger, string observer, string streamId, string error);
}
