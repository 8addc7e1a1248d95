using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting;

/// <summary>The orchestrator's log messages (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Starting {Resource}: {Command}")]
    public static partial void Starting(ILogger logger, string resource, string command);

    [LoggerMessage(2, LogLevel.Information, "{Resource} started (pid {ProcessId})")]
    public static partial void Started(ILogger logger, string resource, int processId);

    [LoggerMessage(3, LogLevel.Warning, "{Resource} exited with code {ExitCode}")]
    public static partial void ExitedUnexpectedly(ILogger logger, string resource, int exitCode);

    [LoggerMessage(4, LogLevel.Error, "{Resource} could not be started: {Reason}")]
    public static partial void StartFailed(ILogger logger, string resource, string reason);

    [LoggerMessage(5, LogLevel.Information, "Restarting {Resource} (restart {Count})")]
    public static partial void Restarting(ILogger logger, string resource, int count);

    [LoggerMessage(6, LogLevel.Information, "{Resource} is {State}")]
    public static partial void StateChanged(ILogger logger, string resource, string state);

    [LoggerMessage(7, LogLevel.Warning, "setpriv was not found: child processes will not be stopped if the AppHost is killed")]
    public static partial void NoParentDeathSignal(ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "Dashboard: {Url}")]
    public static partial void DashboardListening(ILogger logger, string url);

    [LoggerMessage(9, LogLevel.Information, "Registry {Resource} ({Kind}) on {Endpoint}")]
    public static partial void RegistryStarted(ILogger logger, string resource, string kind, string endpoint);

    [LoggerMessage(10, LogLevel.Information, "Manifest written to {Path}")]
    public static partial void ManifestWritten(ILogger logger, string path);

    [LoggerMessage(11, LogLevel.Information, "Stopping all resources")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(12, LogLevel.Warning, "Could not read streams from {Resource}: {Reason}")]
    public static partial void StreamsUnavailable(ILogger logger, string resource, string reason);
}
