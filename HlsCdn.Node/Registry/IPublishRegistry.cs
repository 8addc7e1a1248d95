namespace HlsCdn.Node.Registry;

/// <summary>
/// Where each stream is published: stream id → the WebSocket URL of the node its publisher pushes to. Shared by all
/// nodes (Redis, or any RESP server), with the original's key layout: <c>SET {id} {url} EX {2 × refresh}</c>.
/// </summary>
public interface IPublishRegistry
{
    /// <summary>Whether the registry is reachable right now (lookups skip it at once when not).</summary>
    bool IsAvailable { get; }

    /// <summary>Records that <paramref name="streamId"/> is published at <paramref name="nodeUrl"/> (the newest publisher wins).</summary>
    Task AnnounceAsync(string streamId, string nodeUrl, CancellationToken cancellationToken);

    /// <summary>Extends the announcement, unless another node owns the key now. Returns false when it does.</summary>
    Task<bool> RefreshAsync(string streamId, string nodeUrl, CancellationToken cancellationToken);

    /// <summary>The URL of the node publishing <paramref name="streamId"/>, or null.</summary>
    Task<string?> LookupAsync(string streamId, CancellationToken cancellationToken);

    /// <summary>Deletes the key only if it still holds <paramref name="nodeUrl"/> (atomic compare-and-delete).</summary>
    Task<bool> RemoveAsync(string streamId, string nodeUrl, CancellationToken cancellationToken);
}
