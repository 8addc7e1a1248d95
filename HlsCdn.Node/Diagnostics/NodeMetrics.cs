using System.Diagnostics.Metrics;
using HlsCdn.Node.Streams;

namespace HlsCdn.Node.Diagnostics;

/// <summary>
/// The engine's instruments, on the meter <c>HlsCdn.Node</c>. Names follow OpenTelemetry conventions; README.md lists them.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    /// <summary>The meter's name, for OpenTelemetry's <c>AddMeter</c>.</summary>
    public const string MeterName = "HlsCdn.Node";

    private readonly Meter _meter;

    public NodeMetrics(IMeterFactory meterFactory, StreamDirectory streams, ConnectionCounter connections)
    {
        _meter = meterFactory.Create(MeterName, typeof(NodeMetrics).Assembly.GetName().Version?.ToString());
        _meter.CreateObservableUpDownCounter("hlscdn.streams", () => CountStreams(streams), "{stream}", "Streams carried by this node, by source kind.");
        _meter.CreateObservableUpDownCounter("hlscdn.connections", () => connections.Current, "{connection}", "Open WebSocket connections.");
        _meter.CreateObservableGauge("hlscdn.buffer.used", () => streams.Budget.UsedBytes, "By", "Bytes held in stream buffers.");
        // Instrument names, units and descriptions are unchanged (dashboards and alerts use them).
        Spectators = _meter.CreateUpDownCounter<long>("hlscdn.subscribers", "{subscriber}", "Spectators (and relays) subscribed to streams.");
        FragmentsIn = _meter.CreateCounter<long>("hlscdn.fragments.received", "{fragment}", "Fragments received from publishers and relays.");
        BytesIn = _meter.CreateCounter<long>("hlscdn.bytes.received", "By", "Fragment bytes received.");
        Drops = _meter.CreateCounter<long>("hlscdn.fragments.dropped", "{fragment}", "Fragments a slow subscriber did not get (policy DropOldest).");
        SlowDisconnects = _meter.CreateCounter<long>("hlscdn.subscribers.slow_disconnected", "{subscriber}", "Subscribers disconnected by policy Disconnect or a send timeout.");
        BufferEvictions = _meter.CreateCounter<long>("hlscdn.buffer.evictions", "{fragment}", "Buffered fragments let go early because the memory budget was spent.");
        ProtocolErrors = _meter.CreateCounter<long>("hlscdn.protocol.errors", "{error}", "E messages sent, by code.");
        Takeovers = _meter.CreateCounter<long>("hlscdn.streams.takeovers", "{takeover}", "Publishers replaced by a new publisher of the same stream.");
        RelayConnects = _meter.CreateCounter<long>("hlscdn.relay.connects", "{connect}", "Relay connections opened to an upstream (first connects and reconnects).");
        RelayHops = _meter.CreateCounter<long>("hlscdn.relay.fragments", "{fragment}", "Fragments received through relays.");
        RegistryLookups = _meter.CreateHistogram<double>("hlscdn.registry.lookup.duration", "s", "Publish registry lookup latency, by result.");
    }

    public UpDownCounter<long> Spectators { get; }

    public Counter<long> FragmentsIn { get; }

    public Counter<long> BytesIn { get; }

    public Counter<long> Drops { get; }

    public Counter<long> SlowDisconnects { get; }

    public Counter<long> BufferEvictions { get; }

    public Counter<long> ProtocolErrors { get; }

    public Counter<long> Takeovers { get; }

    public Counter<long> RelayConnects { get; }

    public Counter<long> RelayHops { get; }

    public Histogram<double> RegistryLookups { get; }

    /// <summary>
    /// Observes the fragments and bytes sent to spectators. They are counted by each connection, not on a shared
    /// counter per spectator per fragment, and summed when the metrics are collected.
    /// </summary>
    internal void ObserveSent(Func<long> fragments, Func<long> bytes)
    {
        _meter.CreateObservableCounter("hlscdn.fragments.sent", fragments, "{fragment}", "Fragments sent to subscribers.");
        _meter.CreateObservableCounter("hlscdn.bytes.sent", bytes, "By", "Fragment bytes sent.");
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> CountStreams(StreamDirectory streams)
    {
        var (local, relay, _) = streams.CountBySource();
        return [new(local, new KeyValuePair<string, object?>("source", "local")), new(relay, new KeyValuePair<string, object?>("source", "relay"))];
    }
}

/// <summary>Counts open connections (read by metrics and <c>/api/node</c>).</summary>
public sealed class ConnectionCounter
{
    private long _current;
    private long _total;

    public long Current => Interlocked.Read(ref _current);

    public long Total => Interlocked.Read(ref _total);

    public void Opened()
    {
        Interlocked.Increment(ref _current);
        Interlocked.Increment(ref _total);
    }

    public void Closed() => Interlocked.Decrement(ref _current);
}
