namespace HlsCdn.Tester.Bench;

/// <summary>One point of a latency CDF: fraction <see cref="P"/> of the samples were at most <see cref="Milliseconds"/>.</summary>
public sealed record LatencyQuantile(double P, double Milliseconds);
