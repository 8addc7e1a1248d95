using Microsoft.Extensions.Logging;

namespace HlsCdn.Client;

/// <summary>The former name of <see cref="StreamSpectator"/>, kept so that existing code compiles.</summary>
[Obsolete("Renamed to StreamSpectator (the protocol's word for who watches a stream).")]
public sealed class StreamSubscriber : StreamSpectator
{
    /// <summary>Creates a spectator; nothing happens until <see cref="StreamSpectator.ReadFragmentsAsync"/> is enumerated.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public StreamSubscriber(StreamSubscriberOptions options, ILogger? logger = null)
        : base(options, logger)
    {
    }

    /// <summary>Why the enumeration ended (<see cref="StreamEndReason.None"/> while it runs).</summary>
    public new StreamEndReason EndReason => (StreamEndReason)base.EndReason;
}
