namespace HlsCdn.Tester.Bench;

/// <summary>
/// An idle-connections run's report: the servers' summed RSS before the spectators connected, while they were
/// connected, and after they closed; per connection, and the share given back.
/// </summary>
public sealed record ConnsResult(
    string Url,
    int Connections,
    int Opened,
    long RssBeforeBytes,
    long RssConnectedBytes,
    long RssAfterCloseBytes,
    IReadOnlyList<ServerUsage> Servers,
    double HarnessCpuSeconds,
    double ElapsedSeconds)
{
    /// <summary>The command that produced it.</summary>
    public string Command { get; init; } = "conns";

    /// <summary>(connected − before) / opened; 0 without a server pid.</summary>
    public double RssPerConnectionBytes => Opened == 0 ? 0 : (double)(RssConnectedBytes - RssBeforeBytes) / Opened;

    /// <summary>(connected − after) / (connected − before): 1 when everything the connections took was given back.</summary>
    public double ReturnedFraction => RssConnectedBytes == RssBeforeBytes ? 0 : (double)(RssConnectedBytes - RssAfterCloseBytes) / (RssConnectedBytes - RssBeforeBytes);
}
