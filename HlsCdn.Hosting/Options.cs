using HlsCdn.Hosting.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HlsCdn.Hosting;

/// <summary>Where the registry comes from in run mode (section <c>Registry</c>).</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";

    /// <summary><c>Garnet</c> (default), <c>redis-server</c> or <c>External</c>; a connection string implies External.</summary>
    public string Kind { get; set; } = "Garnet";

    /// <summary>An existing server's StackExchange.Redis connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Program started for <c>redis-server</c>.</summary>
    public string RedisServerPath { get; set; } = "redis-server";

    /// <summary>Container image written to the manifest.</summary>
    public string Image { get; set; } = "docker.io/library/redis:7.4";

    public RegistryKind ParseKind()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return RegistryKind.External;
        }

        return Kind.Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "GARNET" => RegistryKind.Garnet,
            "REDISSERVER" or "REDIS" => RegistryKind.RedisServer,
            "EXTERNAL" => throw new OptionsValidationException(SectionName, typeof(RegistryOptions),
                ["Registry:Kind=External needs Registry:ConnectionString."]),
            _ => throw new OptionsValidationException(SectionName, typeof(RegistryOptions),
                [$"Registry:Kind '{Kind}' is not one of Garnet, redis-server, External."]),
        };
    }
}

/// <summary>The local runner's settings (section <c>Orchestrator</c>).</summary>
public sealed class OrchestratorOptions
{
    public const string SectionName = "Orchestrator";

    /// <summary>Console lines kept per resource.</summary>
    public int LogLines { get; set; } = 2000;

    /// <summary>How long a stopping child gets after SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval between health probes.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay before a resource with restart-on-exit is started again.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Build configuration whose output is run (defaults to the AppHost's own).</summary>
    public string? Configuration { get; set; }

    /// <summary>OTLP collector for the services; <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is injected only when set.</summary>
    public string? OtlpEndpoint { get; set; }

    public void Validate()
    {
        var errors = new List<string>();
        if (LogLines is < 10 or > 1_000_000)
        {
            errors.Add($"Orchestrator:LogLines must be between 10 and 1000000 (was {LogLines}).");
        }

        if (StopTimeout <= TimeSpan.Zero)
        {
            errors.Add("Orchestrator:StopTimeout must be positive.");
        }

        if (HealthInterval <= TimeSpan.Zero)
        {
            errors.Add("Orchestrator:HealthInterval must be positive.");
        }

        if (OtlpEndpoint is { Length: > 0 } && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            errors.Add($"Orchestrator:OtlpEndpoint '{OtlpEndpoint}' is not an absolute URL.");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(OrchestratorOptions), errors);
        }
    }
}

/// <summary>The dashboard's settings (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    public bool Enabled { get; set; } = true;

    /// <summary>Preferred port (Aspire's 18888); the next free one is taken when it is busy; 0 picks any free port.</summary>
    public int Port { get; set; } = 18888;

    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new OptionsValidationException(SectionName, typeof(DashboardOptions), [$"Dashboard:Port must be 0..65535 (was {Port})."]);
        }
    }
}

internal static class ConfigurationExtensions
{
    public static T Bind<T>(this IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}
