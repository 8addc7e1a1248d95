namespace HlsCdn.Client;

/// <summary>Exponential backoff with jitter between reconnection attempts.</summary>
public sealed record ReconnectBackoff
{
    /// <summary>Delay before the first retry. Default 500 ms.</summary>
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of the delay. Default 30 s.</summary>
    public TimeSpan Max { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Factor applied to the delay after each failed attempt. Default 2.</summary>
    public double Multiplier { get; init; } = 2;

    /// <summary>Random spread applied to each delay, as a fraction (0.2 = ±20 %). Default 0.2.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 = first retry), jitter included.</summary>
    public TimeSpan GetDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var baseMs = Initial.TotalMilliseconds * Math.Pow(Math.Max(1, Multiplier), Math.Min(attempt, 64));
        var ms = Math.Min(baseMs, Max.TotalMilliseconds);
        if (Jitter > 0)
        {
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
            ms *= 1 + (((Random.Shared.NextDouble() * 2) - 1) * Math.Min(Jitter, 1));
#pragma warning restore CA5394
        }

        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }

    internal void Validate(string owner)
    {
        if (Initial < TimeSpan.Zero || Max < TimeSpan.Zero || Max < Initial)
        {
            throw new ArgumentException($"{owner}.Backoff: Initial and Max must be non-negative and Initial <= Max.");
        }

        if (!double.IsFinite(Multiplier) || Multiplier < 1 || !double.IsFinite(Jitter) || Jitter < 0 || Jitter > 1)
        {
            throw new ArgumentException($"{owner}.Backoff: Multiplier must be >= 1 and Jitter between 0 and 1.");
        }
    }
}
