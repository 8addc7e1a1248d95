using System.Collections.Concurrent;
using HlsCdn.Node.Diagnostics;

namespace HlsCdn.Node.Connections;

/// <summary>The node's open connections, for the watchdog (heartbeats, timeouts) and shutdown.</summary>
internal sealed class ConnectionTracker
{
    private readonly ConcurrentDictionary<long, NodeConnection> _connections = new();
    private long _nextId;
    private long _closedFragmentsSent;
    private long _closedBytesSent;

    public ConnectionTracker(NodeMetrics metrics)
    {
        metrics.ObserveSent(() => SentTotals().Fragments, () => SentTotals().Bytes);
    }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(NodeConnection connection) => _connections[connection.Id] = connection;

    public void Remove(NodeConnection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
        {
            Interlocked.Add(ref _closedFragmentsSent, (connection.Outbox?.FragmentsSent ?? 0));
            Interlocked.Add(ref _closedBytesSent, (connection.Outbox?.BytesSent ?? 0));
        }
    }

    /// <summary>Fragments and bytes sent to spectators by this node: each connection counts its own; summed here when asked.</summary>
    public (long Fragments, long Bytes) SentTotals()
    {
        var (fragments, bytes) = (Interlocked.Read(ref _closedFragmentsSent), Interlocked.Read(ref _closedBytesSent));
        foreach (var connection in _connections.Values)
        {
            fragments += (connection.Outbox?.FragmentsSent ?? 0);
            bytes += (connection.Outbox?.BytesSent ?? 0);
        }

        return (fragments, bytes);
    }

    public ICollection<NodeConnection> Connections => _connections.Values;
}
