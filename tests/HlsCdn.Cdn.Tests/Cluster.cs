using System.Net.Http.Json;
using System.Text.Json;
using HlsCdn.Node.Configuration;

namespace HlsCdn.Cdn.Tests;

/// <summary>Nodes of a test CDN: each a separate host on its own loopback port, all torn down at the end.</summary>
public sealed class Cluster : IAsyncDisposable
{
    public const string PullSecret = "cluster-pull-secret-0123456789abcdef-0123";
    public const string PushSecret = "cluster-push-secret-0123456789abcdef-0123";
    private readonly List<TestNode> _nodes = [];
    private readonly List<NodeProcess> _processes = [];
    private readonly HttpClient _http = new();

    public Cluster(RegistryServer? registry) => Registry = registry;

    public RegistryServer? Registry { get; }

    /// <summary>Timings short enough for tests; the defaults are documented in README.md.</summary>
    private static Dictionary<string, string?> Common() => TestData.Settings(
        ("Node:PullSecret", PullSecret),
        ("Node:PushSecret", PushSecret),
        ("Node:Relay:InactivityTimeout", "00:00:01"),
        ("Node:Relay:FailoverGracePeriod", "00:00:20"),
        ("Node:Relay:FailoverRetryInterval", "00:00:00.100"),
        ("Node:Registry:RetryInterval", "00:00:00.200"),
        ("Node:Registry:RefreshIntervalSeconds", "5"));

    /// <summary>A publish node in its own process, for tests that kill it.</summary>
    public async Task<NodeProcess> StartPublishProcessAsync(int port = 0)
    {
        var settings = Common();
        if (Registry is not null)
        {
            settings["ConnectionStrings:registry"] = Registry.ConnectionString;
        }

        var node = await NodeProcess.StartAsync(settings, port);
        _processes.Add(node);
        return node;
    }

    public Task<TestNode> StartPublishNodeAsync(int port = 0) => StartAsync(NodeRole.Publish, registry: true, upstream: null, port);

    /// <summary>A gateway: an edge-role node resolving through the registry.</summary>
    public Task<TestNode> StartGatewayAsync() => StartAsync(NodeRole.Edge, registry: true, upstream: null);

    /// <summary>An edge relaying from <paramref name="upstream"/> (and the registry when <paramref name="registry"/>).</summary>
    public Task<TestNode> StartEdgeAsync(TestNode? upstream, bool registry = false) => StartAsync(NodeRole.Edge, registry, upstream);

    private async Task<TestNode> StartAsync(NodeRole role, bool registry, TestNode? upstream, int port = 0)
    {
        var settings = Common();
        if (registry && Registry is not null)
        {
            settings["ConnectionStrings:registry"] = Registry.ConnectionString;
        }

        if (upstream is not null)
        {
            settings["Node:Relay:UpstreamUrl"] = upstream.WebSocketUrl.ToString();
        }

        var node = await TestNode.StartAsync(settings, role, port: port);
        _nodes.Add(node);
        return node;
    }

    public async Task<JsonElement[]> StreamsAsync(TestNode node) =>
        await _http.GetFromJsonAsync<JsonElement[]>(new Uri(node.HttpUrl, "api/streams"), TestContext.Current.CancellationToken) ?? [];

    public async Task<JsonElement> NodeAsync(TestNode node) =>
        await _http.GetFromJsonAsync<JsonElement>(new Uri(node.HttpUrl, "api/node"), TestContext.Current.CancellationToken);

    public static string PushToken(string stream) => HlsCdn.Protocol.StreamTokenIssuer.Issue(PushSecret, HlsCdn.Protocol.StreamAccess.Push, stream, TimeSpan.FromMinutes(10));

    public static string PullToken(string stream) => HlsCdn.Protocol.StreamTokenIssuer.Issue(PullSecret, HlsCdn.Protocol.StreamAccess.Pull, stream, TimeSpan.FromMinutes(10));

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting until " + what);
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                await node.DisposeAsync();
            }
            catch (ObjectDisposedException)
            {
                // killed by the test
            }
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _http.Dispose();
    }
}
