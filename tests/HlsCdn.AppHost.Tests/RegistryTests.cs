using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace HlsCdn.AppHost.Tests;

/// <summary>The run-mode registry started by Aspire alone (the rest of the model removed): healthy, reachable by its connection string.</summary>
public sealed class RegistryTests
{
    [Theory]
    [InlineData("Garnet")]
    [InlineData("RedisServer")]
    public async Task The_registry_becomes_healthy_and_serves_its_connection_string_with_its_password(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipWhen(kind == "RedisServer" && !File.Exists("/usr/bin/redis-server") && !File.Exists("/usr/local/bin/redis-server"), "redis-server is not installed (Debian package 'redis-server').");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.HlsCdn_AppHost>(["--Registry:Kind=" + kind], ct);
        foreach (var resource in builder.Resources.Where(r => r.Name is not "registry" and not "registry-password").ToList())
        {
            builder.Resources.Remove(resource);
        }

        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ready.CancelAfter(TimeSpan.FromSeconds(90));
        await app.ResourceNotifications.WaitForResourceHealthyAsync("registry", ready.Token);

        var connectionString = await app.GetConnectionStringAsync("registry", ct);
        Assert.NotNull(connectionString);
        Assert.Contains(",password=", connectionString, StringComparison.Ordinal);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(connectionString))
        {
            var db = redis.GetDatabase();
            Assert.True(await db.StringSetAsync("stream", "ws://node/", TimeSpan.FromSeconds(30)));
            Assert.Equal("ws://node/", (string?)await db.StringGetAsync("stream"));
        }

        // Without the password the registry refuses.
        var options = ConfigurationOptions.Parse(connectionString);
        options.Password = null;
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        await using var anonymous = await ConnectionMultiplexer.ConnectAsync(options);
        await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().StringGetAsync("stream"));
    }
}
