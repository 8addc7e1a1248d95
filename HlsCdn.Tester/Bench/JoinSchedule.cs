namespace HlsCdn.Tester.Bench;

/// <summary>
/// When each spectator of a join run joins, counted from the first join: <see cref="JoinSettings.Spacing"/> apart, each
/// shifted by a different share of the publisher's fragment interval (the fractional parts of multiples of the golden
/// ratio, which spread evenly over the interval whatever the count). So a run's joins meet the stream at every point of
/// its fragment cycle. Without the shift, a spacing that is a multiple of the interval (the defaults: 100 ms and 100 ms)
/// put every join of a run at one point of the cycle (while a fragment arrives, or between two), so a run's p50 depended
/// on which point that happened to be: 3.1 to 5.3 ms in five runs against one server (docs/performance.md).
/// </summary>
public static class JoinSchedule
{
    private const double GoldenRatioConjugate = 0.6180339887498949;

    /// <summary>When join number <paramref name="join"/> (from 0) starts, after the first join's start.</summary>
    public static TimeSpan StartOf(int join, TimeSpan spacing, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(join);
        return (spacing * join) + (interval * PhaseOf(join));
    }

    // The share of the fragment interval (0 inclusive to 1 exclusive) by which join number join is shifted.
    private static double PhaseOf(int join) => join * GoldenRatioConjugate % 1.0;
}
