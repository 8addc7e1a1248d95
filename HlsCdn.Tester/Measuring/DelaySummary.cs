using System.Globalization;

namespace HlsCdn.Tester.Measuring;

/// <summary>Percentiles of a set of capture-to-display delays, in milliseconds.</summary>
public sealed record DelaySummary(int Count, double Min, double P10, double P50, double P90, double P99, double Max)
{
    /// <summary>Summarises <paramref name="delaysMs"/> (nearest-rank percentiles); null when empty.</summary>
    public static DelaySummary? Of(IEnumerable<double> delaysMs)
    {
        ArgumentNullException.ThrowIfNull(delaysMs);
        var sorted = delaysMs.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        return new DelaySummary(sorted.Length, sorted[0], Rank(sorted, 10), Rank(sorted, 50), Rank(sorted, 90), Rank(sorted, 99), sorted[^1]);
    }

    /// <summary>Nearest-rank percentile <paramref name="percent"/> of <paramref name="sorted"/>.</summary>
    public static double Rank(double[] sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Count} frames: min {Min:0} ms, p10 {P10:0} ms, p50 {P50:0} ms, p90 {P90:0} ms, p99 {P99:0} ms, max {Max:0} ms");
}
