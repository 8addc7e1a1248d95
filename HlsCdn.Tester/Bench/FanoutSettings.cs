namespace HlsCdn.Tester.Bench;

/// <summary>
/// A fan-out run: one publisher pushing <see cref="Fragments"/> fragments of <see cref="FragmentBytes"/> every
/// <see cref="Interval"/> to <see cref="BenchTarget.Url"/>; <see cref="Spectators"/> spectators (plus
/// <see cref="Stalled"/> that never read), all connected with <c>max_initial_fragments=0</c> before the first
/// fragment, pulling from <see cref="PullUrl"/> (another node of a relay chain) or the same URL.
/// </summary>
public sealed record FanoutSettings(
    BenchTarget Target,
    Uri? PullUrl,
    string StreamId,
    int Spectators,
    int Stalled,
    int FragmentBytes,
    TimeSpan Interval,
    TimeSpan Duration,
    IReadOnlyList<int> ServerPids,
    TimeSpan Settle,
    TimeSpan Drain)
{
    /// <summary>How often server processes are sampled.</summary>
    public TimeSpan SamplePeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Fragments published: duration / interval, at least one.</summary>
    public int Fragments => Math.Max(1, (int)Math.Round(Duration / Interval));

    /// <summary>Null when the settings are within <see cref="BenchLimits"/>, else why not.</summary>
    public string? Validate()
    {
        if (Spectators is < 1 || Spectators + Stalled > BenchLimits.MaxConnections || Stalled < 0)
        {
            return $"--spectators must be 1 or more and --spectators + --stalled at most {BenchLimits.MaxConnections}";
        }

        if (FragmentBytes < BenchLimits.MinFragmentBytes || FragmentBytes > BenchLimits.MaxFragmentBytes)
        {
            return $"--size must be between {BenchLimits.MinFragmentBytes} and {BenchLimits.MaxFragmentBytes} bytes";
        }

        if (Interval.TotalMilliseconds < BenchLimits.MinIntervalMilliseconds || Interval > TimeSpan.FromSeconds(60))
        {
            return $"--interval must be between {BenchLimits.MinIntervalMilliseconds} ms and 60 s";
        }

        if (Duration <= TimeSpan.Zero || Duration.TotalSeconds > BenchLimits.MaxDurationSeconds)
        {
            return $"--duration must be more than 0 and at most {BenchLimits.MaxDurationSeconds} s";
        }

        if ((long)Spectators * Fragments > BenchLimits.MaxLatencySamples)
        {
            return $"--spectators x fragments must be at most {BenchLimits.MaxLatencySamples}";
        }

        if (Settle < TimeSpan.Zero || Settle > TimeSpan.FromSeconds(60) || Drain <= TimeSpan.Zero || Drain > TimeSpan.FromSeconds(300))
        {
            return "--settle must be 0-60 s and --drain more than 0 and at most 300 s";
        }

        return null;
    }
}
