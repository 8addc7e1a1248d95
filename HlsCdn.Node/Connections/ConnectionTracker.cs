using System.Collections.Concurrent;

namespace HlsCdn.Node.Connections;

/// <summary>The node's open connections, for the watchdog (heartbeats, timeouts) and shutdown.</summary>
internal sealed class ConnectionTracker
{
    private readonly ConcurrentDictionary<long, NodeConnection> _connections = new();
    private long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(NodeConnection connection) => _connections[connection.Id] = connection;

    public void Remove(NodeConnection connection) => _connections.TryRemove(connection.Id, out _);

    public ICollection<NodeConnection> Connections => _connections.Values;
}
