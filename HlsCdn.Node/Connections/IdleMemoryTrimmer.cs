using HlsCdn.Node.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Gives memory back to the system after many connections closed. A node that served thousands of spectators holds
/// their garbage (sessions, Kestrel's per-connection objects) until the next collection, and a node that has gone quiet
/// allocates too little to cause one: its RSS stays at the peak. When at least <see cref="MinimumDrop"/> connections
/// closed and at least half of the peak is gone, one full, compacting collection that decommits free memory runs
/// (checked every <see cref="Period"/>).
/// </summary>
internal sealed class IdleMemoryTrimmer(ConnectionTracker tracker, TimeProvider time, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    /// <summary>How many connections must have closed since the peak.</summary>
    public const int MinimumDrop = 1000;

    /// <summary>How often the connection count is checked.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private int _peak;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One check; returns whether memory was trimmed.</summary>
    internal bool Tick()
    {
        var count = tracker.Connections.Count;
        if (count >= _peak)
        {
            _peak = count;
            return false;
        }

        if (_peak - count < MinimumDrop || count > _peak / 2)
        {
            return false;
        }

        var before = GC.GetTotalMemory(forceFullCollection: false);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Log.MemoryTrimmed(logger, _peak, count, before / 1024, GC.GetTotalMemory(forceFullCollection: false) / 1024);
        _peak = count;
        return true;
    }
}
