using System.Collections;
using Microsoft.Extensions.Configuration;

namespace HlsCdn.Node.Configuration;

/// <summary>
/// Accepts the original hls-websocket-cdn environment variable names (<c>PULL_SECRET</c>, <c>PUSH_ALLOWED</c>, ...)
/// and maps them onto this project's configuration keys, so an existing deployment can switch images without
/// rewriting its configuration. Standard keys (<c>Node__PullSecret</c>, appsettings, command line) take precedence.
/// </summary>
public sealed class OriginalEnvironmentVariablesSource : IConfigurationSource
{
    private readonly Func<IDictionary> _environment;

    public OriginalEnvironmentVariablesSource(Func<IDictionary>? environment = null) =>
        _environment = environment ?? Environment.GetEnvironmentVariables;

    /// <summary>Original variable → (configuration key, value conversion). One table for every subsystem.</summary>
    public static IReadOnlyDictionary<string, (string Key, Func<string, string> Convert)> Map { get; } =
        new Dictionary<string, (string, Func<string, string>)>(StringComparer.Ordinal)
        {
            ["PULL_SECRET"] = ("Node:PullSecret", Same),
            ["PUSH_SECRET"] = ("Node:PushSecret", Same),
            ["PUSH_ALLOWED"] = ("Node:PushAllowed", YesNo),
            ["WEBSOCKET_PREFIX"] = ("Node:WebSocketPath", Same),
            ["MAX_BINARY_MESSAGE_SIZE"] = ("Node:MaxBinaryMessageSize", Same),
            ["FRAGMENT_BUFFER_MAX_LENGTH"] = ("Node:FragmentBufferMaxLength", Same),
            ["BUFFER_MEMORY_LIMITER_ENABLED"] = ("Node:BufferMemoryLimiterEnabled", YesNo),
            ["BUFFER_MEMORY_LIMIT_MB"] = ("Node:BufferMemoryLimitMB", Same),
            ["EXTERNAL_WEBSOCKET_URL"] = ("Node:ExternalUrl", Same),
            ["PUB_REG_REDIS_ENABLED"] = ("Node:Registry:Enabled", YesNo),
            ["PUB_REG_REDIS_HOST"] = ("Node:Registry:Host", Same),
            ["PUB_REG_REDIS_PORT"] = ("Node:Registry:Port", Same),
            ["PUB_REG_REDIS_PASSWORD"] = ("Node:Registry:Password", Same),
            ["PUB_REG_REDIS_USE_TLS"] = ("Node:Registry:UseTls", YesNo),
            ["PUB_REG_REFRESH_INTERVAL_SECONDS"] = ("Node:Registry:RefreshIntervalSeconds", Same),
            ["PUB_REG_REDIS_REFRESH_INTERVAL_SECONDS"] = ("Node:Registry:RefreshIntervalSeconds", Same),
            ["RELAY_FROM_ENABLED"] = ("Node:Relay:UpstreamEnabled", YesNo),
            ["RELAY_FROM_URL"] = ("Node:Relay:UpstreamUrl", Same),
            ["TLS_ENABLED"] = ("Node:Tls:Enabled", YesNo),
            ["TLS_PORT"] = ("Node:Tls:Port", Same),
            ["TLS_BIND_ADDRESS"] = ("Node:Tls:BindAddress", Same),
            ["TLS_CERTIFICATE"] = ("Node:Tls:CertificatePath", Same),
            ["TLS_PRIVATE_KEY"] = ("Node:Tls:PrivateKeyPath", Same),
            ["TLS_CHECK_RELOAD_SECONDS"] = ("Node:Tls:CheckReloadSeconds", Same),
            ["HTTP_ENABLED"] = ("Node:Http:Enabled", YesNo),
            ["HTTP_PORT"] = ("Node:Http:Port", Same),
            ["HTTP_BIND_ADDRESS"] = ("Node:Http:BindAddress", Same),
            ["RATE_LIMIT_ENABLED"] = ("Node:RateLimit:Enabled", YesNo),
            ["RATE_LIMIT_WHITELIST"] = ("Node:RateLimit:AllowList", Same),
            ["RATE_LIMIT_CONNECTIONS"] = ("Node:RateLimit:ConnectionsPerIp", Same),
            ["RATE_LIMIT_REQ_PER_SEC"] = ("Node:RateLimit:RequestsPerSecond", Same),
            ["RATE_LIMIT_REQ_BURST"] = ("Node:RateLimit:RequestBurst", Same),
            ["LOG_DEBUG"] = ("Logging:LogLevel:HlsCdn", DebugLevel),
            ["LOG_INFO"] = ("Logging:LogLevel:Default", InfoLevel),
            ["LOG_REQUESTS"] = ("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", RequestLevel),
        };

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(_environment);

    /// <summary>The original's booleans are <c>YES</c>/<c>NO</c>; <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c> are accepted too. Anything else is passed through, so binding fails naming the setting.</summary>
    public static string YesNo(string value) => value.Trim().ToUpperInvariant() switch
    {
        "YES" or "Y" or "TRUE" or "1" or "ON" => "true",
        "NO" or "N" or "FALSE" or "0" or "OFF" => "false",
        _ => value,
    };

    private static string Same(string value) => value;

    private static string DebugLevel(string value) => YesNo(value) == "true" ? "Debug" : "Information";

    // The original's LOG_INFO=NO leaves warnings and errors only.
    private static string InfoLevel(string value) => YesNo(value) == "true" ? "Information" : "Warning";

    // LOG_REQUESTS=NO turns ASP.NET Core's request log category off altogether: while it is enabled at any level, the
    // hosting layer creates an Activity and a log scope for every request, WebSocket upgrades included, that nothing
    // reads (docs/performance.md, eleventh session). Besides requests the category logs only a failure to build the
    // request pipeline at start-up, which the host logs again ("Hosting failed to start") and throws.
    private static string RequestLevel(string value) => YesNo(value) == "true" ? "Information" : "None";

    private sealed class Provider(Func<IDictionary> environment) : ConfigurationProvider
    {
        public override void Load()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in environment())
            {
                if (entry.Key is string name && entry.Value is string value && Map.TryGetValue(name, out var target))
                {
                    data[target.Key] = target.Convert(value);
                }
            }

            Data = data;
        }
    }
}

/// <summary>Registers <see cref="OriginalEnvironmentVariablesSource"/>.</summary>
public static class OriginalEnvironmentVariablesExtensions
{
    /// <summary>
    /// Adds the original variable names just before the standard environment variables, so that appsettings files
    /// are overridden by them and they in turn by <c>Node__*</c> variables and the command line.
    /// </summary>
    public static IConfigurationManager AddOriginalEnvironmentVariables(this IConfigurationManager configuration)
    {
        var source = new OriginalEnvironmentVariablesSource();
        var sources = configuration.Sources;
        var index = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(index, source);
        }

        return configuration;
    }
}
