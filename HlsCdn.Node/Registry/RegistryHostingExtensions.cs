using HlsCdn.Node.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HlsCdn.Node.Registry;

/// <summary>Adds the publish registry when it is configured.</summary>
public static class RegistryHostingExtensions
{
    /// <summary>
    /// Reads <c>Node:Registry</c>; when enabled, registers the Redis connection (it connects in the background and
    /// reconnects by itself), <see cref="IPublishRegistry"/>, the announcer (publish role) and a health check that
    /// reports <c>Degraded</c>, not unhealthy, while Redis is away: streams keep flowing without it.
    /// </summary>
    public static RegistryOptions? AddPublishRegistry(this WebApplicationBuilder builder, bool announce)
    {
        var options = builder.Configuration.GetSection(RegistryOptions.SectionName).Get<RegistryOptions>() ?? new RegistryOptions();
        options.ConnectionString ??= builder.Configuration.GetConnectionString(options.ConnectionName);
        Validate(options);
        var configured = !string.IsNullOrWhiteSpace(options.ConnectionString) || !string.IsNullOrWhiteSpace(options.Host);
        if (!(options.Enabled ?? configured))
        {
            return null;
        }

        if (!configured)
        {
            throw new OptionsValidationException(RegistryOptions.SectionName, typeof(RegistryOptions),
                [$"Node:Registry:Enabled (PUB_REG_REDIS_ENABLED) is on, but neither ConnectionStrings:{options.ConnectionName} nor Node:Registry:Host (PUB_REG_REDIS_HOST) is set."]);
        }

        var services = builder.Services;
        services.AddSingleton(options);

        // Aspire's Redis client: the IConnectionMultiplexer, its health check, logging, tracing and metrics. Its
        // connection string is ConnectionStrings:{name} (Aspire's injection) or, failing that, one made of the original
        // PUB_REG_REDIS_* settings; our settings (never abort, fail fast, reconnect) are applied over it.
        builder.AddRedisClient(
            options.ConnectionName,
            settings =>
            {
                settings.ConnectionString = CreateConfiguration(options).ToString(includePassword: true);
                settings.DisableAutoActivation = true; // RegistryConnector connects in the background instead
            },
            ApplyResilience);
        services.AddHostedService<RegistryConnector>();
        services.AddSingleton<IPublishRegistry, RedisPublishRegistry>();
        services.AddSingleton<NodeUrl>();
        if (announce)
        {
            services.AddSingleton<PublishAnnouncer>();
            services.AddSingleton<IStreamLifecycleObserver>(sp => sp.GetRequiredService<PublishAnnouncer>());
            services.AddHostedService(sp => sp.GetRequiredService<PublishAnnouncer>());
        }

        // Streams keep flowing without the registry: its health check reports Degraded, not Unhealthy.
        services.Configure<HealthCheckServiceOptions>(health =>
        {
            foreach (var registration in health.Registrations.Where(r => r.Name.StartsWith(RedisHealthCheckPrefix, StringComparison.Ordinal)))
            {
                registration.FailureStatus = HealthStatus.Degraded;
                registration.Timeout = TimeSpan.FromSeconds(2);
                registration.Tags.Add("ready");
            }
        });
        return options;
    }

    /// <summary>Name prefix of the health check <c>AddRedisClient</c> registers.</summary>
    public const string RedisHealthCheckPrefix = "StackExchange.Redis";

    /// <summary>The StackExchange.Redis configuration: fail fast, never abort on a failed connect, reconnect in the background.</summary>
    public static ConfigurationOptions CreateConfiguration(RegistryOptions options)
    {
        var config = !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ConfigurationOptions.Parse(options.ConnectionString)
            : new ConfigurationOptions { EndPoints = { { options.Host!, options.Port } }, Password = options.Password, Ssl = options.UseTls };
        ApplyResilience(config);
        return config;
    }

    private static void ApplyResilience(ConfigurationOptions config)
    {
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = 2000;
        config.SyncTimeout = 2000;
        config.AsyncTimeout = 2000;
        config.ConnectRetry = 1;
        config.ReconnectRetryPolicy = new LinearRetry(1000);
        config.ClientName ??= "hlscdn-node";
    }

    /// <summary>Connects at start-up (bounded by the connect timeout), never inside a spectator's request.</summary>
    private sealed class RegistryConnector(IServiceProvider services) : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            Task.Run(() => services.GetRequiredService<IConnectionMultiplexer>(), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static void Validate(RegistryOptions options)
    {
        var failures = new List<string>();
        if (options.RefreshIntervalSeconds is < 1 or > 86_400)
        {
            failures.Add($"Node:Registry:RefreshIntervalSeconds (PUB_REG_REFRESH_INTERVAL_SECONDS) must be between 1 and 86400, got {options.RefreshIntervalSeconds}.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Node:Registry:Port (PUB_REG_REDIS_PORT) must be a port number, got {options.Port}.");
        }

        if (options.LookupTimeout <= TimeSpan.Zero || options.RetryInterval <= TimeSpan.Zero)
        {
            failures.Add("Node:Registry:LookupTimeout and Node:Registry:RetryInterval must be positive.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(RegistryOptions.SectionName, typeof(RegistryOptions), failures);
        }
    }
}
