using HlsCdn.Hosting.Model;
using StackExchange.Redis;

namespace HlsCdn.AppHost.Tests;

public sealed class RegistryTests
{
    [Fact]
    public async Task Embedded_Garnet_answers_ping_set_and_get_with_its_password()
    {
        var builder = TestApps.CreateBuilder();
        var registry = builder.AddRegistry("registry");
        Assert.Equal(RegistryKind.Garnet, registry.Resource.RegistryKind);
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.Runner!.WaitForReadyAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var connectionString = registry.Resource.ConnectionString.Resolve();
        Assert.Matches(@"^127\.0\.0\.1:\d+,password=[A-Za-z0-9]{22}$", connectionString);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var db = redis.GetDatabase();
        Assert.True((await db.PingAsync()) < TimeSpan.FromSeconds(5));
        Assert.True(await db.StringSetAsync("hlscdn:test", "value", TimeSpan.FromMinutes(1)));
        Assert.Equal("value", (string?)await db.StringGetAsync("hlscdn:test"));

        // Lua is on (nodes may use scripts for compare-and-delete).
        var deleted = await db.ScriptEvaluateAsync(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            ["hlscdn:test"],
            ["value"]);
        Assert.Equal(1, (int)deleted);

        var port = registry.Resource.GetEndpoint("tcp")!.Port;
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port},password=wrong,abortConnect=false,connectTimeout=2000");
        await using var wrong = await ConnectionMultiplexer.ConnectAsync(options);
        Assert.False(wrong.IsConnected);
    }

    [Fact]
    public void A_connection_string_selects_an_external_registry()
    {
        var builder = TestApps.CreateBuilder("--Registry:ConnectionString=127.0.0.1:1,password=x");
        var registry = builder.AddRegistry("registry");
        Assert.Equal(RegistryKind.External, registry.Resource.RegistryKind);
    }

    [Fact]
    public void Redis_server_is_selected_by_kind_and_unknown_kinds_are_refused()
    {
        Assert.Equal(RegistryKind.RedisServer, TestApps.CreateBuilder("--Registry:Kind=redis-server").AddRegistry("registry").Resource.RegistryKind);
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => TestApps.CreateBuilder("--Registry:Kind=memcached").AddRegistry("registry"));
        Assert.Contains("Registry:Kind", ex.Message, StringComparison.Ordinal);
    }
}
