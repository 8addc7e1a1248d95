namespace HlsCdn.Tester.Bench;

/// <summary>
/// An idle-connections run: a publisher holds a stream open without fragments, <see cref="Connections"/> spectators
/// pull it and sit idle for <see cref="Hold"/>, then all close and the servers get <see cref="Settle"/> to give the
/// memory back.
/// </summary>
public sealed record ConnsSettings(
    BenchTarget Target,
    Uri? PullUrl,
    string StreamId,
    int Connections,
    TimeSpan Hold,
    TimeSpan Settle,
    IReadOnlyList<int> ServerPids)
{
    /// <summary>How often server processes are sampled.</summary>
    public TimeSpan SamplePeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Null when the settings are within <see cref="BenchLimits"/>, else why not.</summary>
    public string? Validate()
    {
        if (Connections < 1 || Connections > BenchLimits.MaxConnections)
        {
            return $"--connections must be between 1 and {BenchLimits.MaxConnections}";
        }

        if (Hold < TimeSpan.Zero || Hold > TimeSpan.FromSeconds(50) || Settle < TimeSpan.Zero || Settle > TimeSpan.FromSeconds(120))
        {
            return "--hold must be 0-50 s (the protocol lets a node close a connection silent for 60 s) and --settle 0-120 s";
        }

        return null;
    }
}
