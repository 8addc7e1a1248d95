namespace HlsCdn.Tester.Bench;

/// <summary>
/// A server process over a bench run: CPU seconds (user and system) between the start and the end of the measured
/// phase, and RSS at the start (before the bench connected anything), its peak while sampled, and at the end.
/// </summary>
public sealed record ServerUsage(
    int Pid,
    double UserCpuSeconds,
    double SystemCpuSeconds,
    long RssStartBytes,
    long RssPeakBytes,
    long RssEndBytes,
    bool Exited)
{
    /// <summary>User + system.</summary>
    public double CpuSeconds => UserCpuSeconds + SystemCpuSeconds;

    /// <summary>Peak − start.</summary>
    public long RssGrowthBytes => RssPeakBytes - RssStartBytes;

    /// <summary>The sum of several processes (the nodes of a relay chain), as pid 0.</summary>
    public static ServerUsage Sum(IReadOnlyList<ServerUsage> servers) => new(
        0,
        servers.Sum(s => s.UserCpuSeconds),
        servers.Sum(s => s.SystemCpuSeconds),
        servers.Sum(s => s.RssStartBytes),
        servers.Sum(s => s.RssPeakBytes),
        servers.Sum(s => s.RssEndBytes),
        servers.Any(s => s.Exited));
}
