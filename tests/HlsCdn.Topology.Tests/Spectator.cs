using System.Diagnostics;
using HlsCdn.Client;

namespace HlsCdn.Topology.Tests;

/// <summary>One fragment as a spectator received it: when, how long it plays, its size and first byte.</summary>
public sealed record Arrival(TimeSpan At, TimeSpan Duration, int Length, byte FirstByte);

/// <summary>
/// A spectator that watches a stream on one node in the background and records every fragment's arrival, and how its
/// connection ended. It never reconnects, so "kept its connection" is simply: still running, no error.
/// </summary>
public sealed class Spectator : IAsyncDisposable
{
    private readonly StreamSpectator _subscriber;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Arrival> _arrivals = [];
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock;
    private readonly Task _run;

    private Spectator(string node, StreamSpectator subscriber, Stopwatch clock)
    {
        Node = node;
        _subscriber = subscriber;
        _clock = clock;
        _run = RunAsync();
    }

    public string Node { get; }

    /// <summary>How the enumeration ended: null while it runs or when it was stopped by the test.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Whether the enumeration ended on its own (CLOSE or an error) rather than being stopped.</summary>
    public bool Ended { get; private set; }

    public int Reconnects => _subscriber.Reconnects;

    public IReadOnlyList<Arrival> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _arrivals.Count;
            }
        }
    }

    /// <summary>Starts watching the fixture's stream on <paramref name="node"/>; times are measured on <paramref name="clock"/>.</summary>
    public static Spectator Watch(TopologyFixture topology, string node, Stopwatch clock) => new(node, topology.Subscribe(node), clock);

    /// <summary>Waits until at least <paramref name="count"/> fragments arrived in total; false on timeout or when the spectator ended.</summary>
    public async Task<bool> WaitForCountAsync(int count, TimeSpan timeout)
    {
        var until = Stopwatch.StartNew();
        while (Count < count && !Ended && until.Elapsed < timeout)
        {
            await Task.Delay(50);
        }

        return Count >= count;
    }

    /// <summary>Arrivals at or after <paramref name="time"/> (on the shared clock).</summary>
    public int CountSince(TimeSpan time) => Arrivals.Count(a => a.At >= time);

    /// <summary>The longest interval without a fragment that overlaps <paramref name="time"/>: the gap a spectator saw around an event.</summary>
    public TimeSpan GapAround(TimeSpan time)
    {
        var arrivals = Arrivals;
        var before = arrivals.LastOrDefault(a => a.At <= time)?.At ?? TimeSpan.Zero;
        var after = arrivals.FirstOrDefault(a => a.At > time)?.At ?? _clock.Elapsed;
        return after - before;
    }

    /// <summary>The longest interval between consecutive fragments.</summary>
    public TimeSpan LongestGap()
    {
        var arrivals = Arrivals;
        return arrivals.Count < 2 ? TimeSpan.Zero : arrivals.Zip(arrivals.Skip(1), (a, b) => b.At - a.At).Max();
    }

    public string Summary() =>
        $"{Node}: {Count} fragments, longest gap {LongestGap().TotalSeconds:0.00} s, ended={Ended}, error={Error?.Message ?? "none"}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _subscriber.DisposeAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // Disposal of the subscriber ends the enumeration; never wait longer.
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        try
        {
            await foreach (var fragment in _subscriber.ReadFragmentsAsync(_stop.Token))
            {
                lock (_gate)
                {
                    _arrivals.Add(new Arrival(_clock.Elapsed, fragment.Duration, fragment.Data.Length, fragment.Data.Length > 0 ? fragment.Data.Span[0] : (byte)0));
                }
            }

            Ended = true;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the test.
        }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the test.
        }
        catch (Exception ex)
        {
            Error = ex;
            Ended = true;
        }
    }
}
