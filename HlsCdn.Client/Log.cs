using Microsoft.Extensions.Logging;

namespace HlsCdn.Client;

// Never log tokens or secrets: URLs are logged without their query string.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Publishing {StreamId} to {Url}")]
    public static partial void PublisherConnected(ILogger logger, string streamId, string url);

    [LoggerMessage(2, LogLevel.Warning, "Publishing {StreamId}: {Url} failed: {Reason}")]
    public static partial void PublisherAttemptFailed(ILogger logger, string streamId, string url, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Publishing {StreamId}: connection to {Url} lost, reconnecting: {Reason}")]
    public static partial void PublisherConnectionLost(ILogger logger, string streamId, string url, string reason);

    [LoggerMessage(4, LogLevel.Error, "Publishing {StreamId} stopped: {Code} {Reason}")]
    public static partial void PublisherTerminal(ILogger logger, string streamId, string code, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Publishing {StreamId}: retrying in {DelayMs} ms")]
    public static partial void Backoff(ILogger logger, string streamId, double delayMs);

    [LoggerMessage(6, LogLevel.Information, "Publishing {StreamId}: closed")]
    public static partial void PublisherClosed(ILogger logger, string streamId);

    [LoggerMessage(7, LogLevel.Warning, "Publishing {StreamId}: fragment send failed on {Url}, will resend: {Reason}")]
    public static partial void FragmentSendFailed(ILogger logger, string streamId, string url, string reason);

    [LoggerMessage(10, LogLevel.Information, "Pulling {StreamId} from {Url}")]
    public static partial void SpectatorConnected(ILogger logger, string streamId, string url);

    [LoggerMessage(11, LogLevel.Warning, "Pulling {StreamId}: connection to {Url} lost: {Reason}")]
    public static partial void SpectatorConnectionLost(ILogger logger, string streamId, string url, string reason);

    [LoggerMessage(12, LogLevel.Information, "Pulling {StreamId}: stream ended")]
    public static partial void SpectatorStreamEnded(ILogger logger, string streamId);

    [LoggerMessage(13, LogLevel.Warning, "Pulling {StreamId}: error {Code} {Reason}")]
    public static partial void SpectatorError(ILogger logger, string streamId, string code, string reason);

    [LoggerMessage(14, LogLevel.Debug, "Ignoring unexpected {Type} message")]
    public static partial void IgnoredMessage(ILogger logger, string type);

    [LoggerMessage(15, LogLevel.Warning, "A StateChanged handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);
}
