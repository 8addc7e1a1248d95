using HlsCdn.AppHost;
using HlsCdn.Hosting;
using HlsCdn.Hosting.Model;

var builder = DistributedApplication.CreateBuilder(args);
var topology = TopologyOptions.FromConfiguration(builder.Configuration);

var registry = builder.AddRegistry("registry");
var pushSecret = builder.AddParameter("push-secret");
var pullSecret = builder.AddParameter("pull-secret");
builder.PlayerTokenSecret = pullSecret.Resource;

// A node: http endpoint, health check, the shared secrets, its WebSocket URL announced in the registry.
IResourceBuilder<ProjectResource> AddNode(string name, string project, string role, bool external) => builder
    .AddProject(name, project)
    .WithHttpEndpoint(external: external)
    .WithHttpsEndpoint(external: external)
    .WithHttpHealthCheck("/health")
    .WithLabel("role", role)
    .WithEnvironment("PUSH_SECRET", pushSecret)
    .WithEnvironment("PULL_SECRET", pullSecret)
    .WithEnvironment("Node__ExternalUrl", node => node.GetWebSocketUrl());

// Publish tier: encoders push here; the nodes announce their streams to the registry.
var publish = Enumerable.Range(1, topology.PublishNodes)
    .Select(i => AddNode($"publish-{i}", "HlsCdn.PublishNode", "publish", external: true)
        .WithReference(registry)
        .WithEnvironment("Node__Registry__Enabled", "true"))
    .ToList();

// Per region: a gateway resolving streams through the registry, edges relaying from their gateway.
foreach (var region in topology.Regions)
{
    var gateway = AddNode($"gateway-{region}", "HlsCdn.EdgeNode", "gateway", external: false)
        .WithLabel("region", region)
        .WithReference(registry)
        .WithEnvironment("Node__Registry__Enabled", "true");

    for (var i = 1; i <= topology.EdgesPerRegion; i++)
    {
        AddNode($"edge-{region}-{i}", "HlsCdn.EdgeNode", "edge", external: true)
            .WithLabel("region", region)
            .WithReference(gateway)
            .WithEnvironment("Node__Registry__Enabled", "false")
            .WithEnvironment("Node__Relay__UpstreamService", gateway.Resource.Name);
    }
}

// The tester publishes a live test pattern to the publish tier, failing over between its nodes.
if (topology.Tester)
{
    builder.AddProject("tester", "HlsCdn.Tester")
        .WithArgs(["publish", .. publish.SelectMany(p => new[] { "--url", p.GetWebSocketUrl() }), "--stream", topology.StreamId, "--secret", new ParameterReference(pushSecret.Resource)])
        .WithReferences(publish)
        .WithRestartOnExit()
        .ExcludeFromManifest();
}

builder.Build().Run();

/// <summary>The AppHost's entry point type, visible to tests that run it to capture the model.</summary>
public partial class Program;
