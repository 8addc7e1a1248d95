using System.Collections.Concurrent;
using HlsCdn.Node.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Registry;

/// <summary>
/// Keeps the registry in step with the streams published on this node: announces a stream when its push is accepted,
/// refreshes it while it lives, removes it (compare-and-delete) when it ends. A registry outage never delays or fails
/// a publisher: what could not be written is retried every <see cref="RegistryOptions.RetryInterval"/> until it is.
/// </summary>
internal sealed partial class PublishAnnouncer(
    IPublishRegistry registry,
    IOptions<RegistryOptions> options,
    NodeUrl nodeUrl,
    TimeProvider time,
    ILogger<PublishAnnouncer> logger) : BackgroundService, IStreamLifecycleObserver
{
    private readonly RegistryOptions _options = options.Value;

    private static readonly TimeSpan InlineTimeout = TimeSpan.FromSeconds(1);

    // Stream id → the timestamp of its last successful write (0: not yet announced).
    private readonly ConcurrentDictionary<string, long> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _pendingRemovals = new(StringComparer.Ordinal);

    public async ValueTask OnPublishedAsync(string streamId, CancellationToken cancellationToken)
    {
        _pendingRemovals.TryRemove(streamId, out _);
        _published[streamId] = 0;
        if (registry.IsAvailable)
        {
            await TryAnnounceAsync(streamId, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask OnUnpublishedAsync(string streamId, CancellationToken cancellationToken)
    {
        if (!_published.TryRemove(streamId, out _))
        {
            return;
        }

        _pendingRemovals[streamId] = 0;
        if (registry.IsAvailable)
        {
            await TryRemoveAsync(streamId, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RetryInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!registry.IsAvailable)
                {
                    continue;
                }

                foreach (var streamId in _pendingRemovals.Keys)
                {
                    await TryRemoveAsync(streamId, stoppingToken).ConfigureAwait(false);
                }

                foreach (var (streamId, written) in _published)
                {
                    if (written == 0)
                    {
                        await TryAnnounceAsync(streamId, stoppingToken).ConfigureAwait(false);
                    }
                    else if (time.GetElapsedTime(written) >= _options.RefreshInterval)
                    {
                        await TryRefreshAsync(streamId, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TryAnnounceAsync(string streamId, CancellationToken cancellationToken)
    {
        try
        {
            await registry.AnnounceAsync(streamId, nodeUrl.Value, cancellationToken).WaitAsync(InlineTimeout, time, cancellationToken).ConfigureAwait(false);
            MarkWritten(streamId);
            LogAnnounced(logger, streamId, nodeUrl.Value);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRegistryFailed(logger, "announce", streamId, ex.GetType().Name);
        }
    }

    private async Task TryRefreshAsync(string streamId, CancellationToken cancellationToken)
    {
        try
        {
            if (await registry.RefreshAsync(streamId, nodeUrl.Value, cancellationToken).WaitAsync(InlineTimeout, time, cancellationToken).ConfigureAwait(false))
            {
                MarkWritten(streamId);
            }
            else
            {
                // Another node announced the stream since (its publisher moved there): leave its entry alone.
                MarkWritten(streamId);
                LogSuperseded(logger, streamId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRegistryFailed(logger, "refresh", streamId, ex.GetType().Name);
        }
    }

    private async Task TryRemoveAsync(string streamId, CancellationToken cancellationToken)
    {
        try
        {
            var removed = await registry.RemoveAsync(streamId, nodeUrl.Value, cancellationToken).WaitAsync(InlineTimeout, time, cancellationToken).ConfigureAwait(false);
            _pendingRemovals.TryRemove(streamId, out _);
            LogRemoved(logger, streamId, removed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRegistryFailed(logger, "remove", streamId, ex.GetType().Name);
        }
    }

    // Only streams still published are marked: one that ended meanwhile stays removed.
    private void MarkWritten(string streamId)
    {
        if (_published.TryGetValue(streamId, out var previous))
        {
            _published.TryUpdate(streamId, time.GetTimestamp(), previous);
        }
    }

    [LoggerMessage(101, LogLevel.Debug, "Registry: announced {StreamId} at {NodeUrl}")]
    private static partial void LogAnnounced(ILogger logger, string streamId, string nodeUrl);

    [LoggerMessage(102, LogLevel.Debug, "Registry: removed {StreamId}: {Removed} (false: another node owns it)")]
    private static partial void LogRemoved(ILogger logger, string streamId, bool removed);

    [LoggerMessage(103, LogLevel.Warning, "Registry: {Operation} of {StreamId} failed ({Error}); retrying")]
    private static partial void LogRegistryFailed(ILogger logger, string operation, string streamId, string error);

    [LoggerMessage(104, LogLevel.Information, "Registry: {StreamId} is now announced by another node; not refreshing over it")]
    private static partial void LogSuperseded(ILogger logger, string streamId);
}
