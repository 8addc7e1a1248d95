using System.Text.Json;
using HlsCdn.Hosting.Model;
using HlsCdn.Hosting.Orchestration;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting.Dashboard;

/// <summary>One node's view of one stream, from its <c>/api/streams</c>.</summary>
public sealed record NodeStream(string StreamId, string Node, string? Role, string? Region, string Source, string? Upstream, string? UpstreamNode, int Subscribers);

/// <summary>A stream across the cluster: where it is published, which nodes relay it, who watches.</summary>
public sealed record ClusterStream(string StreamId, IReadOnlyList<string> PublishedOn, IReadOnlyList<string> RelayedBy, int TotalSubscribers, IReadOnlyList<NodeStream> Nodes);

/// <summary>Whether a node's stream list could be read.</summary>
public sealed record NodeReport(string Node, bool Ok, string? Error);

public sealed record ClusterStreams(IReadOnlyList<ClusterStream> Streams, IReadOnlyList<NodeReport> Nodes);

/// <summary>
/// Builds the cluster's stream picture by asking every running project with an http endpoint for its
/// <c>/api/streams</c> (a JSON array of objects with <c>streamId</c>, <c>source</c>, <c>upstream</c>, <c>subscribers</c>).
/// </summary>
public sealed class StreamAggregator(HttpClient http, ILogger logger)
{
    public async Task<ClusterStreams> CollectAsync(IEnumerable<IResourceRunner> runners, CancellationToken cancellationToken)
    {
        var nodes = runners
            .Where(r => r.Status.Resource.Kind == ResourceKind.Project
                && r.Status.Resource.GetEndpoint("http") is { AllocatedPort: not null }
                && r.Status.State is ResourceState.Running or ResourceState.Healthy or ResourceState.Unhealthy)
            .Select(r => r.Status.Resource)
            .ToList();
        var byPort = nodes.ToDictionary(n => n.GetEndpoint("http")!.Port, n => n.Name);
        var results = await Task.WhenAll(nodes.Select(n => ReadAsync(n, cancellationToken)));
        var entries = new List<NodeStream>();
        var reports = new List<NodeReport>();
        foreach (var (node, items, error) in results)
        {
            reports.Add(new NodeReport(node.Name, error is null, error));
            foreach (var item in items)
            {
                entries.Add(item with { UpstreamNode = ResolveNode(item.Upstream, byPort) });
            }
        }

        return new ClusterStreams(Merge(entries), reports);
    }

    /// <summary>Groups per-node entries by stream.</summary>
    public static IReadOnlyList<ClusterStream> Merge(IEnumerable<NodeStream> entries) =>
        entries
            .GroupBy(e => e.StreamId, StringComparer.Ordinal)
            .Select(g => new ClusterStream(
                g.Key,
                g.Where(e => string.Equals(e.Source, "local", StringComparison.OrdinalIgnoreCase)).Select(e => e.Node).Distinct().ToList(),
                g.Where(e => !string.Equals(e.Source, "local", StringComparison.OrdinalIgnoreCase)).Select(e => e.Node).Distinct().ToList(),
                g.Sum(e => e.Subscribers),
                g.OrderBy(e => e.Node, StringComparer.Ordinal).ToList()))
            .OrderBy(s => s.StreamId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Parses one node's <c>/api/streams</c> answer.</summary>
    public static IReadOnlyList<NodeStream> Parse(Resource node, JsonElement array)
    {
        ArgumentNullException.ThrowIfNull(node);
        var list = new List<NodeStream>();
        if (array.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || String(item, "streamId") is not { } id)
            {
                continue;
            }

            var subscribers = item.TryGetProperty("subscribers", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var n) ? n : 0;
            list.Add(new NodeStream(
                id,
                node.Name,
                node.Labels.TryGetValue("role", out var role) ? role : null,
                node.Labels.TryGetValue("region", out var region) ? region : null,
                String(item, "source") ?? "unknown",
                String(item, "upstream"),
                null,
                subscribers));
        }

        return list;
    }

    private async Task<(Resource Node, IReadOnlyList<NodeStream> Items, string? Error)> ReadAsync(Resource node, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var stream = await http.GetStreamAsync(new Uri(node.GetEndpoint("http")!.Url + "/api/streams"), timeout.Token);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: timeout.Token);
            return (node, Parse(node, document.RootElement), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            Log.StreamsUnavailable(logger, node.Name, ex.Message);
            return (node, [], ex.Message);
        }
    }

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? ResolveNode(string? upstream, Dictionary<int, string> byPort)
    {
        if (upstream is null || !Uri.TryCreate(upstream, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.IsLoopback && byPort.TryGetValue(uri.Port, out var name) ? name : uri.Host;
    }
}
