using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.RateLimiting;

/// <summary>Log messages of the per-IP limits (source-generated; event id 105).</summary>
internal static partial class RateLimitingLoggingExtensions
{
    [LoggerMessage(105, LogLevel.Debug, "Rate limit: rejected {Kind} request from {RemoteAddress} (429)")]
    public static partial void RateLimited(this ILogger logger, string kind, string? remoteAddress);
}
