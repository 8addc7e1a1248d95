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
    /// <summary>Name prefix of the health check <c>AddRedisClient</c> registers.</summary>
    public const string RedisHealthCheckPrefix = "StackExchange.Redis";

    /// <summary>
    /// Binds <see cref="RegistryOptions"/> from <c>Node:Registry</c> (validated at start-up); when the registry is on,
    /// registers the Redis connection (it connects in the background and reconnects by itself),
    /// <see cref="IPublishRegistry"/>, the announcer (publish role) and a health check that reports <c>Degraded</c>,
    /// not unhealthy, while Redis is away: streams keep flowing without it.
    /// </summary>
    /// <returns>Whether the registry is on.</returns>
    public static bool AddPublishRegistry(this WebApplicationBuilder builder, bool announce)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RegistryOptions, RegistryOptionsValidator>(RegistryOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => options.ConnectionString ??= configuration.GetConnectionString(options.ConnectionName));

        // Whether the registry is on decides which services exist, so it is decided here, from its switches alone (and
        // Aspire's client takes its connection string at registration); every other setting is read from the validated
        // RegistryOptions when the services are created.
        var section = builder.Configuration.GetSection(RegistryOptions.SectionName);
        var connectionName = section[nameof(RegistryOptions.ConnectionName)] ?? new RegistryOptions().ConnectionName;
        var connectionString = section[nameof(RegistryOptions.ConnectionString)] ?? builder.Configuration.GetConnectionString(connectionName);
        var configured = !string.IsNullOrWhiteSpace(connectionString) || !string.IsNullOrWhiteSpace(section[nameof(RegistryOptions.Host)]);
        if (!(section.GetValue<bool?>(nameof(RegistryOptions.Enabled)) ?? configured) || !configured)
        {
            return false;
        }

        // Aspire's Redis client: the IConnectionMultiplexer, its health check, logging, tracing and metrics. Its
        // connection string is Node:Registry:ConnectionString or ConnectionStrings:{name} (Aspire's injection); without
        // one, the original PUB_REG_REDIS_* settings give the endpoint. Our settings (never abort, fail fast, reconnect)
        // are applied over it.
        builder.AddRedisClient(
            connectionName,
            settings =>
            {
                settings.ConnectionString = connectionString;
                settings.DisableAutoActivation = true; // RegistryConnector connects in the background instead
            },
            ApplyResilience);
        services.AddOptions<ConfigurationOptions>().Configure<IOptions<RegistryOptions>>((redis, registry) => ApplyEndpoint(redis, registry.Value));
        services.AddSingleton(sp => new Lazy<IConnectionMultiplexer>(sp.GetRequiredService<IConnectionMultiplexer>));
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
        return true;
    }

    // Without a connection string, the endpoint is made of the original PUB_REG_REDIS_* settings.
    private static void ApplyEndpoint(ConfigurationOptions config, RegistryOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            config.EndPoints.Add(options.Host!, options.Port);
            config.Password = options.Password;
            config.Ssl = options.UseTls;
        }
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
    private sealed class RegistryConnector(Lazy<IConnectionMultiplexer> connection) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.Run(() => connection.Value, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
