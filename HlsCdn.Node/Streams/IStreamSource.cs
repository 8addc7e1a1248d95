namespace HlsCdn.Node.Streams;

/// <summary>The source of a <see cref="LiveStream"/>: a local publisher's connection or a relay.</summary>
public interface IStreamSource
{
    /// <summary>Local publisher or relay.</summary>
    StreamSourceKind Kind { get; }

    /// <summary>The upstream URL of a relay; null for a local publisher.</summary>
    string? Upstream { get; }

    /// <summary>Another source took the stream over: stop sending fragments (a publisher is told <c>PUSH_ERROR</c>).</summary>
    void OnTakenOver();
}
