namespace HlsCdn.Node.Streams;

/// <summary>Told when a local publisher starts or stops a stream on this node (the publish registry listens).</summary>
public interface IStreamLifecycleObserver
{
    /// <summary>A publisher's PUSH was accepted for <paramref name="streamId"/>.</summary>
    ValueTask OnPublishedAsync(string streamId, CancellationToken cancellationToken);

    /// <summary>The local stream <paramref name="streamId"/> ended.</summary>
    ValueTask OnUnpublishedAsync(string streamId, CancellationToken cancellationToken);
}
