using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using HlsCdn.AppHost.Registry;

namespace HlsCdn.AppHost.Tests;

/// <summary>The AppHost's model in run mode, captured with Aspire's testing builder (nothing is started).</summary>
public sealed class ModelTests
{
    private static async Task<IDistributedApplicationTestingBuilder> CaptureAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.HlsCdn_AppHost>(args, TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_default_topology_has_every_resource_with_the_embedded_Garnet_registry()
    {
        await using var builder = await CaptureAsync();
        var names = builder.Resources.Where(r => r is not ParameterResource).Select(r => r.Name).Where(n => !n.EndsWith("-rebuilder", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["console", "edge-eu-1", "edge-eu-2", "edge-us-1", "edge-us-2", "gateway-eu", "gateway-us", "publish-1", "publish-2", "registry", "tester"],
            names);

        var registry = Assert.IsType<GarnetRegistryResource>(builder.Resources.Single(r => r.Name == "registry"));
        Assert.True(registry.TryGetAnnotationsOfType<HealthCheckAnnotation>(out var checks) && checks.Any());
        Assert.Equal("HlsCdn.Registry.csproj", Path.GetFileName(registry.GetProjectMetadata().ProjectPath));
        Assert.True(builder.Resources.OfType<ParameterResource>().Single(p => p.Name == "registry-password").Secret);
        Assert.All(["push-secret", "pull-secret"], name => Assert.True(builder.Resources.OfType<ParameterResource>().Single(p => p.Name == name).Secret));
    }

    [Fact]
    public async Task Nodes_wait_for_what_they_need_and_edges_sit_under_their_gateway()
    {
        await using var builder = await CaptureAsync();
        IResource Get(string name) => builder.Resources.Single(r => r.Name == name);

        foreach (var node in new[] { "publish-1", "publish-2", "gateway-eu", "gateway-us" })
        {
            Assert.Contains(Get(node).Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "registry");
            Assert.True(Get(node).TryGetAnnotationsOfType<HealthCheckAnnotation>(out _), $"{node} has no health check");
        }

        Assert.Contains(Get("edge-us-2").Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Type == "Parent" && r.Resource.Name == "gateway-us");
        Assert.DoesNotContain(Get("edge-us-2").Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "registry");
        Assert.Equal(["publish-1", "publish-2"], Get("tester").Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_project_exports_telemetry_without_retries_so_Ctrl_C_is_not_held_by_a_stopped_dashboard()
    {
        await using var builder = await CaptureAsync();
        var projects = builder.Resources.OfType<ProjectResource>().ToList();
        Assert.NotEmpty(projects);
        foreach (var project in projects)
        {
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
            foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                try
                {
                    await callback.Callback(context);
                }
                catch (InvalidOperationException)
                {
                    // Callbacks that need allocated endpoints or a started app; not what this test reads.
                }
            }

            // Aspire sets in_memory when it adds the project; the AppHost removes it afterwards (the exporter accepts
            // no value meaning "none": unset is the only way).
            Assert.False(context.EnvironmentVariables.ContainsKey(TelemetryResourceExtensions.OtlpRetryVariable), $"{project.Name}: {context.EnvironmentVariables.GetValueOrDefault(TelemetryResourceExtensions.OtlpRetryVariable)}");
        }
    }

    [Fact]
    public async Task Configuration_shapes_the_topology()
    {
        await using var builder = await CaptureAsync("--Topology:PublishNodes=3", "--Topology:Regions=eu,us,ap", "--Topology:EdgesPerRegion=1", "--Topology:Tester=false");
        var names = builder.Resources.Select(r => r.Name).ToHashSet();
        Assert.Contains("publish-3", names);
        Assert.Contains("gateway-ap", names);
        Assert.Contains("edge-ap-1", names);
        Assert.DoesNotContain("edge-eu-2", names);
        Assert.DoesNotContain("tester", names);
    }

    [Theory]
    [InlineData("--Topology:PublishNodes=0", "Topology:PublishNodes")]
    [InlineData("--Topology:Regions=eu,EU", "Topology:Regions lists a region twice")]
    [InlineData("--Topology:Regions=e_u", "'e_u'")]
    public async Task A_bad_topology_setting_is_named(string argument, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => CaptureAsync(argument));
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registry_can_be_redis_server_or_an_external_connection_string()
    {
        await using (var builder = await CaptureAsync("--Registry:Kind=RedisServer"))
        {
            var registry = Assert.IsType<RedisServerRegistryResource>(builder.Resources.Single(r => r.Name == "registry"));
            Assert.Equal("redis-server", registry.Command);
        }

        await using (var builder = await CaptureAsync("--ConnectionStrings:registry=redis.example:6380,password=x"))
        {
            var registry = builder.Resources.Single(r => r.Name == "registry");
            Assert.IsNotType<GarnetRegistryResource>(registry);
            var connection = Assert.IsAssignableFrom<IResourceWithConnectionString>(registry);
            Assert.Equal("redis.example:6380,password=x", await connection.GetConnectionStringAsync(TestContext.Current.CancellationToken));
        }
    }
}
