using System.Text.Json;
using Microsoft.Extensions.Options;

namespace HlsCdn.Console;

/// <summary>
/// Reads every node's <c>/api/node</c> and <c>/api/streams</c> through service discovery (<c>http://{name}</c>) and
/// merges them into the streams across the cluster. Answers are bounded in time and size; a bad answer marks the node.
/// </summary>
public sealed partial class ClusterReader(IHttpClientFactory clients, IConfiguration configuration, IOptions<ConsoleOptions> options, ILogger<ClusterReader> logger)
{
    public const string HttpClientName = "nodes";

    /// <summary>Largest answer read from a node.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    public async Task<ClusterView> ReadAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(options.Value.Nodes.Select(n => ReadNodeAsync(n, cancellationToken)));
        var streams = results.SelectMany(r => r.Streams)
            .GroupBy(e => e.StreamId, StringComparer.Ordinal)
            .Select(g => new ClusterStream(
                g.Key,
                g.Where(e => e.Source == "local").Select(e => e.Node).Distinct().Order(StringComparer.Ordinal).ToList(),
                g.Where(e => e.Source != "local").Select(e => e.Node).Distinct().Order(StringComparer.Ordinal).ToList(),
                g.Sum(e => e.Subscribers),
                g.OrderBy(e => e.Node, StringComparer.Ordinal).ToList()))
            .OrderBy(s => s.StreamId, StringComparer.Ordinal)
            .ToList();
        return new ClusterView([.. results.Select(r => r.Node)], streams);
    }

    private async Task<(NodeInfo Node, IReadOnlyList<NodeStream> Streams)> ReadNodeAsync(string name, CancellationToken cancellationToken)
    {
        // Aspire's service-discovery configuration (services__{name}__http__0) gives the address a browser can use too.
        var httpUrl = configuration[$"services:{name}:http:0"]?.TrimEnd('/');
        var webSocketUrl = httpUrl is null ? null : "ws" + httpUrl["http".Length..] + "/";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.NodeTimeout);
            var http = clients.CreateClient(HttpClientName);
            using var node = await GetJsonAsync(http, new Uri($"http://{name}/api/node"), timeout.Token);
            var role = node.RootElement.ValueKind == JsonValueKind.Object ? String(node.RootElement, "role") : null;
            using var streams = await GetJsonAsync(http, new Uri($"http://{name}/api/streams"), timeout.Token);
            return (new NodeInfo(name, role, httpUrl, webSocketUrl, true, null), Parse(name, streams.RootElement));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException or InvalidDataException)
        {
            NodeUnreachable(logger, name, ex.Message);
            return (new NodeInfo(name, null, httpUrl, webSocketUrl, false, ex.Message), []);
        }
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new InvalidDataException($"{uri} answered more than {MaxResponseBytes} bytes.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new InvalidDataException($"{uri} answered more than {MaxResponseBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
    }

    /// <summary>One node's <c>/api/streams</c>: an array of objects with <c>streamId</c>, <c>source</c>, <c>upstream</c>, <c>subscribers</c>.</summary>
    public static IReadOnlyList<NodeStream> Parse(string node, JsonElement array)
    {
        var list = new List<NodeStream>();
        if (array.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var item in array.EnumerateArray().Take(10_000))
        {
            if (item.ValueKind != JsonValueKind.Object || String(item, "streamId") is not { } id)
            {
                continue;
            }

            list.Add(new NodeStream(id, node, String(item, "source") ?? "unknown", String(item, "upstream"),
                (int)Number(item, "subscribers"), Number(item, "fragmentsIn"), Number(item, "fragmentsOut")));
        }

        return list;
    }

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Node {Node} did not answer: {Reason}")]
    private static partial void NodeUnreachable(ILogger logger, string node, string reason);
}
