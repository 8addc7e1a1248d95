namespace HlsCdn.Client;

/// <summary>The former name of <see cref="StreamSpectatorOptions"/>, kept so that existing code compiles.</summary>
[Obsolete("Renamed to StreamSpectatorOptions, the options of StreamSpectator.")]
public sealed class StreamSubscriberOptions : StreamSpectatorOptions
{
}
