namespace HlsCdn.Node.Streams;

/// <summary>Finds (or opens) the stream a spectator asks for, following the lookup chain of protocol.md.</summary>
public interface IStreamResolver
{
    /// <summary>The stream, or null when it cannot be found anywhere allowed (the spectator then gets <c>OK</c> + <c>CLOSE</c>).</summary>
    /// <param name="streamId">The stream id.</param>
    /// <param name="onlySource">Only a local source may serve it (the request comes from a relaying node).</param>
    /// <param name="cancellationToken">Cancelled when the spectator leaves.</param>
    ValueTask<LiveStream?> ResolveAsync(string streamId, bool onlySource, CancellationToken cancellationToken);
}
