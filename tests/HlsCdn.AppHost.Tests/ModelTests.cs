using HlsCdn.Hosting.Model;
using HlsCdn.Hosting.Orchestration;
using Microsoft.Extensions.Options;

namespace HlsCdn.AppHost.Tests;

public sealed class ModelTests
{
    [Fact]
    public void Default_topology_has_the_documented_resources_in_order()
    {
        var app = AppHostModel.Capture();
        var names = app.Resources.Where(r => r.Kind != ResourceKind.Parameter).Select(r => r.Name);
        Assert.Equal(
            ["registry", "publish-1", "publish-2", "gateway-eu", "edge-eu-1", "edge-eu-2", "gateway-us", "edge-us-1", "edge-us-2", "tester"],
            names);
        Assert.Equal(["registry-password", "push-secret", "pull-secret"], app.Resources.OfType<ParameterResource>().Select(p => p.Name));
    }

    [Fact]
    public void Topology_is_shaped_by_configuration()
    {
        var app = AppHostModel.Capture("--Topology:Regions=ap", "--Topology:PublishNodes=3", "--Topology:EdgesPerRegion=1", "--Topology:Tester=false");
        var names = app.Resources.Where(r => r.Kind != ResourceKind.Parameter).Select(r => r.Name);
        Assert.Equal(["registry", "publish-1", "publish-2", "publish-3", "gateway-ap", "edge-ap-1"], names);
    }

    [Fact]
    public void Bad_topology_settings_are_named_in_the_error()
    {
        var ex = Assert.ThrowsAny<Exception>(() => AppHostModel.Capture("--Topology:PublishNodes=0"));
        var validation = Assert.IsType<OptionsValidationException>(ex.InnerException ?? ex);
        Assert.Contains("Topology:PublishNodes", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void References_follow_the_regional_gateway_layout()
    {
        var app = AppHostModel.Capture();
        Resource Get(string name) => app.Resources.Single(r => r.Name == name);
        Assert.Equal(["registry"], Get("publish-1").References.Select(r => r.Name));
        Assert.Equal(["registry"], Get("gateway-eu").References.Select(r => r.Name));
        Assert.Equal(["gateway-eu"], Get("edge-eu-2").References.Select(r => r.Name));
        Assert.Equal(["gateway-us"], Get("edge-us-1").References.Select(r => r.Name));
        Assert.Equal(["publish-1", "publish-2"], Get("tester").References.Select(r => r.Name));
        Assert.Equal(Get("edge-eu-1").References, Get("edge-eu-1").WaitsFor);
        Assert.EndsWith("HlsCdn.EdgeNode/HlsCdn.EdgeNode.csproj", ((ProjectResource)Get("edge-us-2")).ProjectPath.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.EndsWith("HlsCdn.PublishNode/HlsCdn.PublishNode.csproj", ((ProjectResource)Get("publish-2")).ProjectPath.Replace('\\', '/'), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_environment_is_injected_as_Aspire_does()
    {
        var app = AppHostModel.Capture();
        var ports = new PortAllocator();
        foreach (var endpoint in app.Resources.SelectMany(r => r.Endpoints).Where(e => !e.PublishOnly))
        {
            endpoint.AllocatedPort = ports.Allocate();
        }

        var registry = app.Resources.OfType<RegistryResource>().Single();
        registry.SetRuntimeConnectionString("127.0.0.1:6379,password=pw");
        var settings = new RunEnvironmentSettings();
        Dictionary<string, string> Env(string name) =>
            ResourceEnvironment.ForRun(app.Resources.Single(r => r.Name == name), settings).ToDictionary(e => e.Key, e => e.Value);

        var gatewayUrl = app.Resources.Single(r => r.Name == "gateway-eu").GetEndpoint("http")!.Url;
        var edge = Env("edge-eu-1");
        var edgePort = app.Resources.Single(r => r.Name == "edge-eu-1").GetEndpoint("http")!.Port;
        Assert.Equal(gatewayUrl, edge["services__gateway-eu__http__0"]);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", gatewayUrl);
        Assert.False(edge.ContainsKey("services__gateway-eu__https__0"), "publish-only endpoints are not discovered locally");
        Assert.Equal($"http://127.0.0.1:{edgePort}", edge["ASPNETCORE_URLS"]);
        Assert.Equal($"ws://127.0.0.1:{edgePort}/", edge["Node__ExternalUrl"]);
        Assert.Equal("gateway-eu", edge["Node__Relay__UpstreamService"]);
        Assert.Equal("false", edge["Node__Registry__Enabled"]);
        Assert.Equal("edge-eu-1", edge["OTEL_SERVICE_NAME"]);
        Assert.StartsWith("service.instance.id=edge-eu-1-", edge["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.False(edge.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(edge.ContainsKey("ConnectionStrings__registry"));

        var publish = Env("publish-2");
        Assert.Equal("127.0.0.1:6379,password=pw", publish["ConnectionStrings__registry"]);
        Assert.Equal("true", publish["Node__Registry__Enabled"]);
        Assert.Equal(edge["PUSH_SECRET"], publish["PUSH_SECRET"]);
        Assert.Equal(edge["PULL_SECRET"], publish["PULL_SECRET"]);
        Assert.NotEqual(publish["PUSH_SECRET"], publish["PULL_SECRET"]);
        Assert.True(publish["PUSH_SECRET"].Length >= 22);
        Assert.Equal("127.0.0.1:6379,password=pw", Env("gateway-us")["ConnectionStrings__registry"]);
    }

    [Fact]
    public void Otlp_endpoint_is_injected_only_when_configured()
    {
        var app = AppHostModel.Capture("--Topology:Tester=false");
        var node = app.Resources.Single(r => r.Name == "gateway-eu");
        node.GetEndpoint("http")!.AllocatedPort = 5000;
        app.Resources.OfType<RegistryResource>().Single().SetRuntimeConnectionString("x");
        var env = ResourceEnvironment.ForRun(node, new RunEnvironmentSettings { OtlpEndpoint = "http://127.0.0.1:4317" });
        Assert.Contains(env, e => e.Key == "OTEL_EXPORTER_OTLP_ENDPOINT" && e.Value == "http://127.0.0.1:4317");
    }

    [Fact]
    public void Secrets_can_be_configured()
    {
        var app = AppHostModel.Capture("--Parameters:push-secret=pushy", "--Parameters:pull-secret=pully");
        Assert.Equal("pushy", app.Resources.OfType<ParameterResource>().Single(p => p.Name == "push-secret").Value);
        Assert.Equal("pully", app.Resources.OfType<ParameterResource>().Single(p => p.Name == "pull-secret").Value);
        Assert.Same(app.Resources.Single(r => r.Name == "pull-secret"), app.Builder.PlayerTokenSecret);
    }

    [Fact]
    public async Task A_generated_secret_is_one_value_even_when_resolved_concurrently()
    {
        // Resources start in parallel and each resolves the secrets it is given: all must get the same value.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var secret = AppHostModel.Capture().Resources.OfType<ParameterResource>().Single(p => p.Name == "push-secret");
            using var go = new ManualResetEventSlim();
            var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                go.Wait(TestContext.Current.CancellationToken);
                return secret.Value;
            })).ToList();
            go.Set();
            var values = await Task.WhenAll(readers);
            Assert.Single(values.Distinct());
        }
    }

    [Fact]
    public void Tester_publishes_to_every_publish_node_with_the_push_secret()
    {
        var app = AppHostModel.Capture("--Parameters:push-secret=s3cret");
        foreach (var endpoint in app.Resources.SelectMany(r => r.Endpoints).Where(e => !e.PublishOnly))
        {
            endpoint.AllocatedPort = 1000 + app.Resources.ToList().FindIndex(r => r.Endpoints.Contains(endpoint));
        }

        var tester = app.Resources.Single(r => r.Name == "tester");
        var args = tester.Args.Select(a => a.Resolve()).ToList();
        Assert.Equal(["publish", "--url", "ws://127.0.0.1:1004/", "--url", "ws://127.0.0.1:1005/", "--stream", "test", "--secret", "s3cret"], args);
        Assert.True(tester.ExcludedFromManifest);
        Assert.Empty(tester.Endpoints);
    }

    [Theory]
    [InlineData("gateway-eu", true)]
    [InlineData("edge-1", true)]
    [InlineData("a", true)]
    [InlineData("1abc", false)]
    [InlineData("a--b", false)]
    [InlineData("a-", false)]
    [InlineData("a_b", false)]
    public void Resource_names_follow_Aspire_rules(string name, bool valid) => Assert.Equal(valid, ResourceNames.IsValid(name));
}
