namespace HlsCdn.Tester.Bench;

/// <summary>
/// A join run: a publisher pushes <see cref="FragmentBytes"/> every <see cref="Interval"/>; after
/// <see cref="Warmup"/>, <see cref="Joiners"/> spectators join one after another, <see cref="Spacing"/> apart and each
/// shifted within the fragment interval (<see cref="JoinSchedule"/>), each measuring connect → <c>OK</c> and connect →
/// first whole fragment, then leaving.
/// </summary>
public sealed record JoinSettings(
    BenchTarget Target,
    Uri? PullUrl,
    string StreamId,
    int Joiners,
    int FragmentBytes,
    TimeSpan Interval,
    TimeSpan Spacing,
    int? MaxInitialFragments,
    IReadOnlyList<int> ServerPids,
    TimeSpan Warmup)
{
    /// <summary>How long one joiner may wait for its first fragment.</summary>
    public static readonly TimeSpan FirstFragmentTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Most fragments the publisher sends in one join run (it stops there, and so does the run).</summary>
    public const int MaxFragments = 1_000_000;

    /// <summary>How often server processes are sampled.</summary>
    public TimeSpan SamplePeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the run, from which the publisher's fragment count is derived.</summary>
    public TimeSpan MaxRun => Warmup + Interval + (Spacing + FirstFragmentTimeout + BenchLimits.ConnectTimeout) * Joiners;

    /// <summary>Null when the settings are within <see cref="BenchLimits"/>, else why not.</summary>
    public string? Validate()
    {
        if (Joiners is < 1 or > 1_000)
        {
            return "--spectators must be between 1 and 1000";
        }

        if (FragmentBytes < BenchLimits.MinFragmentBytes || FragmentBytes > BenchLimits.MaxFragmentBytes)
        {
            return $"--size must be between {BenchLimits.MinFragmentBytes} and {BenchLimits.MaxFragmentBytes} bytes";
        }

        if (Interval.TotalMilliseconds < BenchLimits.MinIntervalMilliseconds || Interval > TimeSpan.FromSeconds(60))
        {
            return $"--interval must be between {BenchLimits.MinIntervalMilliseconds} ms and 60 s";
        }

        if (Spacing < TimeSpan.Zero || Spacing > TimeSpan.FromSeconds(10) || Warmup < TimeSpan.Zero || Warmup > TimeSpan.FromSeconds(60))
        {
            return "--spacing must be 0-10 s and --warmup 0-60 s";
        }

        if (MaxInitialFragments is < 0 or > 1000)
        {
            return "--max-initial-fragments must be between 0 and 1000";
        }

        return null;
    }
}
