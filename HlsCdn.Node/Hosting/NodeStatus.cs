using System.Reflection;
using System.Text.Json.Serialization;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Streams;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Hosting;

/// <summary>The node's figures for <c>/api/node</c>. Never contains a secret.</summary>
public sealed class NodeStatus(IOptions<NodeOptions> options, StreamDirectory streams, ConnectionCounter connections, TimeProvider time)
{
    private static readonly string Version =
        typeof(NodeStatus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    // From process start, not from the first request that created this object.
    private readonly DateTimeOffset _started = new(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime());

    public NodeStatusReport Describe()
    {
        var o = options.Value;
        var (local, relay, spectators) = streams.CountBySource();
        return new NodeStatusReport(
            o.Role == NodeRole.Publish ? "publish" : "edge",
            Version,
            Environment.MachineName,
            _started,
            (time.GetUtcNow() - _started).TotalSeconds,
            o.Role == NodeRole.Publish && o.PushAllowed,
            connections.Current,
            connections.Total,
            local + relay,
            local,
            relay,
            spectators,
            streams.Budget.UsedBytes,
            o.BufferMemoryLimiterEnabled ? streams.Budget.LimitBytes : null);
    }
}

/// <summary>What <c>/api/node</c> answers.</summary>
public sealed record NodeStatusReport(
    string Role,
    string Version,
    string Host,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    bool PushAllowed,
    long Connections,
    long ConnectionsTotal,
    int Streams,
    int LocalStreams,
    int RelayStreams,
    // The wire name stays "subscribers": the console and existing dashboards read it.
    [property: JsonPropertyName("subscribers")] int Spectators,
    long BufferUsedBytes,
    long? BufferLimitBytes);
