using HlsCdn.AppHost;
using HlsCdn.AppHost.Registry;

var builder = DistributedApplication.CreateBuilder(args);
var topology = TopologyOptions.FromConfiguration(builder.Configuration);

var registry = builder.AddRegistry("registry");
var pushSecret = builder.AddParameter("push-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
var pullSecret = builder.AddParameter("pull-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
var nodes = new List<IResourceBuilder<ProjectResource>>();

// A node: http endpoint, health check, the shared secrets, its WebSocket URL (announced in the registry).
IResourceBuilder<ProjectResource> AddNode<TProject>(string name, bool external) where TProject : IProjectMetadata, new()
{
    var node = builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
        .WithHttpEndpoint()
        .WithHttpHealthCheck("/health")
        .WithEnvironment("PUSH_SECRET", pushSecret)
        .WithEnvironment("PULL_SECRET", pullSecret);
    node.WithEnvironment("Node__ExternalUrl", node.WebSocketUrl());
    nodes.Add(node);
    return external ? node.WithExternalHttpEndpoints() : node;
}

// Publish tier: encoders push here; the nodes announce their streams to the registry.
var publish = Enumerable.Range(1, topology.PublishNodes)
    .Select(i => AddNode<Projects.HlsCdn_PublishNode>($"publish-{i}", external: true)
        .WithReference(registry).WaitFor(registry)
        .WithEnvironment("Node__Registry__Enabled", "true"))
    .ToList();

// Per region: a gateway resolving streams through the registry, edges relaying from their gateway. An edge does not
// wait for its gateway: it opens its relay when a spectator asks, so both start together.
foreach (var region in topology.Regions)
{
    var gateway = AddNode<Projects.HlsCdn_EdgeNode>($"gateway-{region}", external: false)
        .WithReference(registry).WaitFor(registry)
        .WithEnvironment("Node__Registry__Enabled", "true");

    for (var i = 1; i <= topology.EdgesPerRegion; i++)
    {
        AddNode<Projects.HlsCdn_EdgeNode>($"edge-{region}-{i}", external: true)
            .WithReference(gateway)
            .WithParentRelationship(gateway)
            .WithEnvironment("Node__Registry__Enabled", "false")
            .WithEnvironment("Node__Relay__UpstreamService", gateway.Resource.Name);
    }
}

// The tester publishes a live test pattern to the publish tier, failing over between its nodes.
if (topology.Tester)
{
    var tester = builder.AddProject<Projects.HlsCdn_Tester>("tester", options => options.ExcludeLaunchProfile = true)
        .WithArgs(context =>
        {
            context.Args.Add("publish");
            foreach (var node in publish)
            {
                context.Args.Add("--url");
                context.Args.Add(node.WebSocketUrl());
            }

            context.Args.Add("--stream");
            context.Args.Add(topology.StreamId);
            context.Args.Add("--secret");
            context.Args.Add(pushSecret.Resource);
        })
        .ExcludeFromManifest();
    publish.ForEach(node => tester.WaitFor(node));
}

// The CDN console (streams across the cluster, a player from any node), linked from the dashboard.
var console = builder.AddProject<Projects.HlsCdn_Console>("console", options => options.ExcludeLaunchProfile = true)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithUrlForEndpoint("http", url => url.DisplayText = "CDN console")
    .WithEnvironment("PULL_SECRET", pullSecret);
for (var i = 0; i < nodes.Count; i++)
{
    console.WithReference(nodes[i]).WithEnvironment($"Console__Nodes__{i}", nodes[i].Resource.Name);
}

builder.WithoutTelemetryRetries();
builder.Build().Run();
