namespace HlsCdn.Tester.Bench;

/// <summary>The bounds every bench run stays within: the harness is a loopback load tool, not a stress weapon.</summary>
public static class BenchLimits
{
    /// <summary>Most spectators (or idle connections) one run opens.</summary>
    public const int MaxConnections = 20_000;

    /// <summary>Longest a run may publish, in seconds.</summary>
    public const double MaxDurationSeconds = 600;

    /// <summary>Largest fragment (the protocol's default <c>MaxBinaryMessageSize</c>).</summary>
    public const int MaxFragmentBytes = 50 * 1024 * 1024;

    /// <summary>Smallest fragment: the payload header.</summary>
    public const int MinFragmentBytes = FragmentPayload.HeaderBytes;

    /// <summary>Shortest interval between fragments, in milliseconds.</summary>
    public const double MinIntervalMilliseconds = 1;

    /// <summary>Most latency samples one run keeps (4 bytes each).</summary>
    public const long MaxLatencySamples = 50_000_000;

    /// <summary>Connections opened at the same time while a run sets up.</summary>
    public const int ConnectParallelism = 32;

    /// <summary>How long one connect + PUSH/PULL + OK may take.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
}
