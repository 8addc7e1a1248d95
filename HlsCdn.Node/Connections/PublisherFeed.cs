using HlsCdn.Node.Streams;
using HlsCdn.Protocol;

namespace HlsCdn.Node.Connections;

/// <summary>A publisher's connection as the feed of its stream. Taken over by a new publisher, it is told <c>PUSH_ERROR</c>.</summary>
internal sealed class PublisherFeed(NodeConnection connection) : IStreamFeed
{
    private volatile bool _takenOver;

    public StreamSourceKind Kind => StreamSourceKind.Local;

    public string? Upstream => null;

    public NodeConnection Connection => connection;

    public bool IsTakenOver => _takenOver;

    public void OnTakenOver()
    {
        _takenOver = true;
        connection.Fail(ErrorCodes.PushError, "stream taken over by another publisher");
    }
}
