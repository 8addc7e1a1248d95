namespace HlsCdn.Tester.Bench;

/// <summary>One curve of <see cref="LatencyCdfPlot"/>: its label, quantile points, and the p50/p99 shown in the legend.</summary>
public sealed record LatencyCdfSeries(string Label, IReadOnlyList<LatencyQuantile> Quantiles, double P50, double P99);
