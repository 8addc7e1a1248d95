namespace HlsCdn.Tester.Bench;

/// <summary>A fan-out run's report: workload, delivery check, latency, server processes (each, and summed), the harness's own CPU and allocations.</summary>
public sealed record FanoutResult(
    FanoutWorkload Workload,
    DeliveryCheck Delivery,
    LatencySummary Latency,
    IReadOnlyList<ServerUsage> Servers,
    ServerUsage? ServersTotal,
    double HarnessCpuSeconds,
    long HarnessAllocatedBytes,
    double ElapsedSeconds,
    double PublisherMaxLagMilliseconds,
    string? PublisherFailure)
{
    /// <summary>The command that produced it (for <c>bench plot</c> and other readers of the JSON).</summary>
    public string Command { get; init; } = "fanout";
}
