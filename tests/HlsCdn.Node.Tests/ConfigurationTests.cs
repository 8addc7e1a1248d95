using System.Collections;
using HlsCdn.Node.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Original_environment_variable_names_map_onto_node_settings()
    {
        var env = new Hashtable
        {
            ["PULL_SECRET"] = "pull",
            ["PUSH_SECRET"] = "push",
            ["PUSH_ALLOWED"] = "NO",
            ["WEBSOCKET_PREFIX"] = "/ws",
            ["MAX_BINARY_MESSAGE_SIZE"] = "1000",
            ["FRAGMENT_BUFFER_MAX_LENGTH"] = "4",
            ["BUFFER_MEMORY_LIMITER_ENABLED"] = "YES",
            ["BUFFER_MEMORY_LIMIT_MB"] = "64",
            ["UNRELATED"] = "x",
        };
        var config = new ConfigurationBuilder().Add(new OriginalEnvironmentVariablesSource(() => env)).Build();
        var options = config.GetSection("Node").Get<NodeOptions>()!;
        Assert.Equal("pull", options.PullSecret);
        Assert.Equal("push", options.PushSecret);
        Assert.False(options.PushAllowed);
        Assert.Equal("/ws", options.WebSocketPath);
        Assert.Equal(1000, options.MaxBinaryMessageSize);
        Assert.Equal(4, options.FragmentBufferMaxLength);
        Assert.True(options.BufferMemoryLimiterEnabled);
        Assert.Equal(64, options.BufferMemoryLimitMB);
    }

    [Theory]
    [InlineData("LOG_INFO", "NO", "Logging:LogLevel:Default", "Warning")]
    [InlineData("LOG_INFO", "YES", "Logging:LogLevel:Default", "Information")]
    [InlineData("LOG_REQUESTS", "YES", "Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information")]
    [InlineData("LOG_REQUESTS", "NO", "Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "None")]
    [InlineData("LOG_DEBUG", "YES", "Logging:LogLevel:HlsCdn", "Debug")]
    public void Original_log_switches_map_onto_log_levels(string variable, string value, string key, string level)
    {
        var config = new ConfigurationBuilder().Add(new OriginalEnvironmentVariablesSource(() => new Hashtable { [variable] = value })).Build();
        Assert.Equal(level, config[key]);
    }

    [Theory]
    [InlineData("Node:FragmentBufferMaxLength", "-1", "Node:FragmentBufferMaxLength (FRAGMENT_BUFFER_MAX_LENGTH)")]
    [InlineData("Node:MaxBinaryMessageSize", "0", "Node:MaxBinaryMessageSize (MAX_BINARY_MESSAGE_SIZE)")]
    [InlineData("Node:WebSocketPath", "ws", "Node:WebSocketPath (WEBSOCKET_PREFIX)")]
    [InlineData("Node:IdleTimeout", "00:00:10", "Node:IdleTimeout")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_it(string key, string value, string named)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestNode.StartAsync(TestData.Settings((key, value))));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unparsable_setting_names_the_setting()
    {
        var ex = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => TestNode.StartAsync(TestData.Settings(("Node:PushAllowed", "maybe"))));
        Assert.Contains("Node:PushAllowed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Node:SpectatorQueueLength", "Node:SlowSpectatorPolicy")]
    [InlineData("Node:SubscriberQueueLength", "Node:SlowSubscriberPolicy")]
    public async Task The_spectator_queue_settings_bind_under_their_names_and_their_former_names(string queueKey, string policyKey)
    {
        await using var node = await TestNode.StartAsync(TestData.Settings((queueKey, "7"), (policyKey, "Disconnect")));
        var options = node.Get<IOptions<NodeOptions>>().Value;
        Assert.Equal(7, options.SpectatorQueueLength);
        Assert.Equal(SlowSpectatorPolicy.Disconnect, options.SlowSpectatorPolicy);
    }

    [Fact]
    public async Task A_spectator_queue_setting_under_its_new_name_wins_over_its_former_name()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:SubscriberQueueLength", "3"), ("Node:SpectatorQueueLength", "9"),
            ("Node:SlowSubscriberPolicy", "Disconnect"), ("Node:SlowSpectatorPolicy", "DropOldest")));
        var options = node.Get<IOptions<NodeOptions>>().Value;
        Assert.Equal(9, options.SpectatorQueueLength);
        Assert.Equal(SlowSpectatorPolicy.DropOldest, options.SlowSpectatorPolicy);
    }

    [Fact]
    public async Task The_node_runs_what_a_connection_reads_on_the_thread_that_received_it()
    {
        // Kestrel's default queues each read of a connection to the thread pool once more; the node's join pays that
        // hand-off several times before OK (docs/performance.md, twelfth session).
        await using var node = await TestNode.StartAsync();
        Assert.True(node.Get<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }
}
