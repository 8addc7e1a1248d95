namespace HlsCdn.Tester.Bench;

/// <summary>
/// A latency distribution in milliseconds: count, mean, percentiles, and the quantile curve (finer in the tail) that
/// <c>bench plot</c> draws as a CDF.
/// </summary>
public sealed record LatencySummary(long Count, double Mean, double P50, double P90, double P99, double P999, double Max, IReadOnlyList<LatencyQuantile> Quantiles)
{
    /// <summary>No samples.</summary>
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, []);

    /// <summary>Sorts <paramref name="samples"/> in place and summarises them.</summary>
    public static LatencySummary From(float[] samples)
    {
        if (samples.Length == 0)
        {
            return Empty;
        }

        Array.Sort(samples);
        double sum = 0;
        foreach (var s in samples)
        {
            sum += s;
        }

        var quantiles = new List<LatencyQuantile>(120);
        for (var i = 0; i < 99; i++)
        {
            quantiles.Add(new(i / 100.0, At(samples, i / 100.0)));
        }

        for (var i = 990; i < 1000; i++)
        {
            quantiles.Add(new(i / 1000.0, At(samples, i / 1000.0)));
        }

        quantiles.Add(new(0.9999, At(samples, 0.9999)));
        quantiles.Add(new(1, samples[^1]));
        return new(samples.Length, sum / samples.Length, At(samples, 0.5), At(samples, 0.9), At(samples, 0.99), At(samples, 0.999), samples[^1], quantiles);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double At(ReadOnlySpan<float> sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
