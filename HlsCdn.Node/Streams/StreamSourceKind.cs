namespace HlsCdn.Node.Streams;

/// <summary>Where a stream's fragments come from on this node.</summary>
public enum StreamSourceKind
{
    /// <summary>A publisher pushing to this node.</summary>
    Local,

    /// <summary>A relay pulling the stream from another node.</summary>
    Relay,
}
