using HlsCdn.Node.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HlsCdn.Cdn.Tests;

/// <summary>The node's registry connection is Aspire's Redis client (Aspire.StackExchange.Redis), configured either way.</summary>
public sealed class RegistryClientTests
{
    [Fact]
    public async Task The_original_host_and_port_settings_configure_Aspire_s_client_and_an_outage_only_degrades_health()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync("garnet");
        // Node:Registry:Host/Port are what PUB_REG_REDIS_HOST/PUB_REG_REDIS_PORT map to; no ConnectionStrings:registry.
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:Registry:Host", "127.0.0.1"),
            ("Node:Registry:Port", registry.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var redis = node.Services.GetRequiredService<IConnectionMultiplexer>();
        await Cluster.EventuallyAsync(() => Task.FromResult(redis.IsConnected), "the node connects to the registry");
        Assert.Contains(redis.GetEndPoints(), e => e.ToString()!.EndsWith(":" + registry.Port, StringComparison.Ordinal));

        // The health check is the one AddRedisClient registers, turned into "Degraded" on failure.
        var checks = node.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations
            .Where(r => r.Name.StartsWith(RegistryHostingExtensions.RedisHealthCheckPrefix, StringComparison.Ordinal)).ToList();
        var check = Assert.Single(checks);
        Assert.Equal(HealthStatus.Degraded, check.FailureStatus);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("Healthy", await http.GetStringAsync(new Uri(node.HttpUrl, "health"), ct));
        await registry.StopAsync();
        string health = string.Empty;
        await Cluster.EventuallyAsync(
            async () => (health = await http.GetStringAsync(new Uri(node.HttpUrl, "health"), ct)) == "Degraded",
            "the node reports Degraded while the registry is away",
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_node_without_a_registry_starts_without_a_Redis_client()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings());
        Assert.Null(node.Services.GetService<IConnectionMultiplexer>());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("Healthy", await http.GetStringAsync(new Uri(node.HttpUrl, "health"), TestContext.Current.CancellationToken));
    }
}
