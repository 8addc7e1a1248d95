namespace HlsCdn.Tester.Bench;

/// <summary>What a fan-out run did, as reported.</summary>
public sealed record FanoutWorkload(
    string Url,
    string PullUrl,
    string Stream,
    int Spectators,
    int Stalled,
    int FragmentBytes,
    double IntervalMilliseconds,
    double DurationSeconds,
    int Fragments,
    double OutMegabytesPerSecond);
