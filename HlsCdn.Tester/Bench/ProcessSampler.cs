namespace HlsCdn.Tester.Bench;

/// <summary>
/// Samples server processes (by pid) from /proc on a fixed period while a bench runs: RSS start and peak, CPU time
/// at the start and end of the measured phase. Sums over the pids are what a relay chain reports.
/// </summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    private readonly int[] _pids;
    private readonly ProcStat?[] _start;
    private readonly ProcStat?[] _cpuStart;
    private readonly ProcStat?[] _last;
    private readonly long[] _peakRss;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _lock = new();

    /// <summary>Checks every pid is readable and takes the start sample; throws <see cref="BenchException"/> for a pid that is not there.</summary>
    public ProcessSampler(IReadOnlyList<int> pids, TimeSpan period)
    {
        _pids = [.. pids];
        _start = new ProcStat?[_pids.Length];
        _cpuStart = new ProcStat?[_pids.Length];
        _last = new ProcStat?[_pids.Length];
        _peakRss = new long[_pids.Length];
        for (var i = 0; i < _pids.Length; i++)
        {
            _start[i] = _cpuStart[i] = _last[i] = ProcStat.Read(_pids[i]) ?? throw new BenchException($"--server-pid {_pids[i]}: no such process readable in /proc");
            _peakRss[i] = _start[i]!.Value.RssBytes;
        }

        _loop = _pids.Length == 0 ? Task.CompletedTask : SampleAsync(period, _stop.Token);
    }

    /// <summary>True when there is at least one pid.</summary>
    public bool Enabled => _pids.Length > 0;

    /// <summary>Starts the measured phase: CPU is counted from here.</summary>
    public void MarkCpuStart()
    {
        lock (_lock)
        {
            for (var i = 0; i < _pids.Length; i++)
            {
                _cpuStart[i] = Sample(i) ?? _last[i];
            }
        }
    }

    /// <summary>The latest totals: CPU seconds since <see cref="MarkCpuStart"/>, and RSS now, summed over the pids.</summary>
    public (double CpuSeconds, long RssBytes) Current()
    {
        lock (_lock)
        {
            double cpu = 0;
            long rss = 0;
            for (var i = 0; i < _pids.Length; i++)
            {
                if (_last[i] is { } last && _cpuStart[i] is { } start)
                {
                    cpu += (last.UserTicks + last.SystemTicks - start.UserTicks - start.SystemTicks) / ProcStat.TicksPerSecond;
                    rss += last.RssBytes;
                }
            }

            return (cpu, rss);
        }
    }

    /// <summary>Takes a fresh sample now and returns the summed RSS.</summary>
    public long SampleRssNow()
    {
        lock (_lock)
        {
            long rss = 0;
            for (var i = 0; i < _pids.Length; i++)
            {
                rss += (Sample(i) ?? _last[i])?.RssBytes ?? 0;
            }

            return rss;
        }
    }

    /// <summary>Ends the measured phase and reports each process.</summary>
    public async Task<IReadOnlyList<ServerUsage>> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        lock (_lock)
        {
            var usage = new List<ServerUsage>(_pids.Length);
            for (var i = 0; i < _pids.Length; i++)
            {
                var end = Sample(i);
                var last = end ?? _last[i]!.Value;
                var start = _cpuStart[i]!.Value;
                usage.Add(new ServerUsage(
                    _pids[i],
                    (last.UserTicks - start.UserTicks) / ProcStat.TicksPerSecond,
                    (last.SystemTicks - start.SystemTicks) / ProcStat.TicksPerSecond,
                    _start[i]!.Value.RssBytes,
                    _peakRss[i],
                    last.RssBytes,
                    end is null));
            }

            return usage;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private ProcStat? Sample(int i)
    {
        var stat = ProcStat.Read(_pids[i]);
        if (stat is { } s)
        {
            _last[i] = s;
            _peakRss[i] = Math.Max(_peakRss[i], s.RssBytes);
        }

        return stat;
    }

    private async Task SampleAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    for (var i = 0; i < _pids.Length; i++)
                    {
                        Sample(i);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
