namespace HlsCdn.Tester.Bench;

/// <summary>
/// A join run's report: connect → <c>101</c> (the WebSocket upgrade), connect → <c>OK</c> and connect → first whole
/// fragment over the joiners that got one, how
/// many did not (timeout, refusal) or got a corrupt first fragment, and the server processes over the run.
/// </summary>
public sealed record JoinResult(
    string Url,
    string Stream,
    int Joiners,
    int FragmentBytes,
    double IntervalMilliseconds,
    int? MaxInitialFragments,
    int Joined,
    int Failed,
    int Corrupt,
    IReadOnlyList<string> Failures,
    LatencySummary ConnectToUpgrade,
    LatencySummary ConnectToOk,
    LatencySummary ConnectToFirstFragment,
    IReadOnlyList<ServerUsage> Servers,
    ServerUsage? ServersTotal,
    double HarnessCpuSeconds,
    double ElapsedSeconds,
    string? PublisherFailure)
{
    /// <summary>The command that produced it.</summary>
    public string Command { get; init; } = "join";

    /// <summary>Every joiner got an exact first fragment and the publisher was not refused.</summary>
    public bool IsClean => Joined == Joiners && Failed == 0 && Corrupt == 0 && PublisherFailure is null;
}
