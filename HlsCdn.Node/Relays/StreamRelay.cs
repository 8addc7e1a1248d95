using System.Diagnostics;
using HlsCdn.Client;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Streams;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Relays;

/// <summary>
/// The source of a <see cref="LiveStream"/> relayed from another node: pulls the stream (signing its own PULL token with the pull
/// secret) and publishes each fragment it receives into the local stream, which fans it out to this node's spectators
/// with the same buffer semantics as a local source. An upstream <c>CLOSE</c> ends the stream at once. An upstream that
/// drops without <c>CLOSE</c> is re-resolved (registry, then upstream) for the failover grace period; spectators stay
/// connected and miss only what was never received. With no spectators for the inactivity period the relay closes.
/// </summary>
internal sealed partial class StreamRelay : IStreamSource, IDisposable
{
    private readonly LiveStream _stream;
    private readonly UpstreamResolver _resolver;
    private readonly RelayOptions _options;
    private readonly NodeOptions _node;
    private readonly NodeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly RelayedFragmentLog _relayed;
    private UpstreamSource _source;

    public StreamRelay(LiveStream stream, UpstreamSource source, UpstreamResolver resolver, RelayOptions options, NodeOptions node, NodeMetrics metrics, TimeProvider time, ILogger logger)
    {
        _stream = stream;
        _source = source;
        _resolver = resolver;
        _options = options;
        _node = node;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _relayed = new RelayedFragmentLog(Math.Max(node.FragmentBufferMaxLength, 1) * 2);
    }

    public StreamSourceKind Kind => StreamSourceKind.Relay;

    public string? Upstream => _source.Url.ToString();

    public void OnTakenOver() => Stop();

    /// <summary>Disposed by <see cref="RunAsync"/> when the relay ends.</summary>
    public void Dispose() => _stop.Dispose();

    private void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The relay already ended.
        }
    }

    /// <summary>Runs the relay until the stream ends; never throws.</summary>
    public async Task RunAsync()
    {
        using var activity = NodeActivities.Source.StartActivity("hlscdn.relay", ActivityKind.Client);
        activity?.SetTag("hlscdn.stream", _stream.Id);
        var reason = LiveStreamEndReason.SourceLost;
        using var inactivity = WatchInactivity();
        try
        {
            reason = await RelayAsync(activity).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            reason = LiveStreamEndReason.Inactive;
        }
        catch (Exception ex)
        {
            LogRelayFailed(_logger, _stream.Id, ex);
        }
        finally
        {
            if (_stream.End(this, reason))
            {
                LogRelayEnded(_logger, _stream.Id, reason.ToString());
            }

            Dispose();
        }
    }

    private async Task<LiveStreamEndReason> RelayAsync(Activity? activity)
    {
        long? lostAt = null;
        var first = true;
        while (true)
        {
            var outcome = await PullOnceAsync(first, activity).ConfigureAwait(false);
            first = false;
            switch (outcome)
            {
                case PullOutcome.Closed:
                    return LiveStreamEndReason.Closed;
                case PullOutcome.NotFound when lostAt is null:
                    return LiveStreamEndReason.Closed;
                case PullOutcome.Fatal:
                    return LiveStreamEndReason.SourceLost;
                case PullOutcome.Lost:
                    lostAt = null; // it delivered fragments: a fresh loss starts a fresh grace period
                    break;
            }

            lostAt ??= _time.GetTimestamp();
            while (true)
            {
                if (_time.GetElapsedTime(lostAt.Value) > _options.FailoverGracePeriod)
                {
                    LogFailoverGaveUp(_logger, _stream.Id, _options.FailoverGracePeriod.TotalSeconds);
                    return LiveStreamEndReason.SourceLost;
                }

                await Task.Delay(_options.FailoverRetryInterval, _time, _stop.Token).ConfigureAwait(false);
                if (await _resolver.ResolveAsync(_stream.Id, _stop.Token).ConfigureAwait(false) is { } next)
                {
                    _source = next;
                    _stream.SetUpstream(this, next.Url.ToString());
                    break;
                }
            }
        }
    }

    private async Task<PullOutcome> PullOnceAsync(bool first, Activity? activity)
    {
        _metrics.RelayConnects.Add(1, new KeyValuePair<string, object?>("via", _source.Via));
        activity?.AddEvent(new ActivityEvent("connect", tags: new ActivityTagsCollection { ["url"] = _source.Url.ToString() }));
        LogConnecting(_logger, _stream.Id, _source.Url, _source.Via);
        var options = new StreamSpectatorOptions
        {
            Url = _source.Url,
            StreamId = _stream.Id,
            PullSecret = string.IsNullOrEmpty(_node.PullSecret) ? null : _node.PullSecret,
            TokenLifetime = _node.RelayTokenLifetime,
            OnlySource = _source.OnlySource,
            MaxInitialFragments = null,
            Reconnect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxFragmentBytes = _node.MaxBinaryMessageSize,
        };
        var received = 0;
        var catchingUp = !first;
        await using var spectator = new StreamSpectator(options, _logger);
        try
        {
            await foreach (var fragment in spectator.ReadFragmentsAsync(_stop.Token).ConfigureAwait(false))
            {
                received++;
                var fingerprint = RelayedFragmentLog.Fingerprint(fragment.Data.Span);
                if (catchingUp && _relayed.Contains(fingerprint))
                {
                    continue; // re-sent from the upstream's buffer after a reconnect: already relayed
                }

                catchingUp = false;
                _relayed.Add(fingerprint);
                if (!_stream.Publish(this, fragment.Data, fragment.Duration.TotalSeconds))
                {
                    return PullOutcome.Fatal; // taken over or ended
                }

                _metrics.RelayHops.Add(1);
                _metrics.FragmentsIn.Add(1);
                _metrics.BytesIn.Add(fragment.Data.Length);
            }

            // CLOSE: the stream ended upstream, or (OK + CLOSE) the upstream does not have it (yet).
            return received > 0 ? PullOutcome.Closed : PullOutcome.NotFound;
        }
        catch (StreamProtocolException ex) when (ex.Code is ErrorCodes.NodeShutdown or ErrorCodes.SlowSubscriber)
        {
            return received > 0 ? PullOutcome.Lost : PullOutcome.NotFound;
        }
        catch (StreamProtocolException ex)
        {
            LogUpstreamError(_logger, _stream.Id, ex.Code);
            return PullOutcome.Fatal;
        }
        catch (StreamConnectionException)
        {
            return received > 0 ? PullOutcome.Lost : PullOutcome.NotFound;
        }
    }

    private ITimer WatchInactivity()
    {
        var idleSince = _time.GetTimestamp();
        var period = TimeSpan.FromTicks(Math.Max(_options.InactivityTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks));
        return _time.CreateTimer(
            _ =>
            {
                if (_stream.SpectatorCount > 0)
                {
                    idleSince = _time.GetTimestamp();
                }
                else if (_time.GetElapsedTime(idleSince) >= _options.InactivityTimeout)
                {
                    LogInactive(_logger, _stream.Id);
                    Stop();
                }
            },
            null,
            period,
            period);
    }

    private enum PullOutcome
    {
        Closed,
        NotFound,
        Lost,
        Fatal,
    }

    [LoggerMessage(201, LogLevel.Information, "Relay {StreamId}: connecting to {Url} (via {Via})")]
    private static partial void LogConnecting(ILogger logger, string streamId, Uri url, string via);

    [LoggerMessage(202, LogLevel.Information, "Relay {StreamId} ended: {Reason}")]
    private static partial void LogRelayEnded(ILogger logger, string streamId, string reason);

    [LoggerMessage(203, LogLevel.Warning, "Relay {StreamId}: upstream answered {Code}")]
    private static partial void LogUpstreamError(ILogger logger, string streamId, string code);

    [LoggerMessage(204, LogLevel.Warning, "Relay {StreamId}: no source found within the {Seconds} s failover grace period")]
    private static partial void LogFailoverGaveUp(ILogger logger, string streamId, double seconds);

    [LoggerMessage(205, LogLevel.Information, "Relay {StreamId}: no spectators for the inactivity period; closing")]
    private static partial void LogInactive(ILogger logger, string streamId);

    [LoggerMessage(206, LogLevel.Error, "Relay {StreamId} failed")]
    private static partial void LogRelayFailed(ILogger logger, string streamId, Exception exception);
}
