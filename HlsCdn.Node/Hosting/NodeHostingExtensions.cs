using HlsCdn.Node.Configuration;
using HlsCdn.Node.Connections;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Registry;
using HlsCdn.Node.Relays;
using HlsCdn.Node.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Hosting;

/// <summary>Adds the node engine to a web application.</summary>
public static class NodeHostingExtensions
{
    /// <summary>
    /// Adds the engine in <paramref name="role"/>: configuration (including the original environment variable names),
    /// validated options, streams, the protocol handler, the watchdog, metrics. Without any configured address the node
    /// listens on <c>http://localhost:{defaultPort}</c>.
    /// </summary>
    public static WebApplicationBuilder AddHlsCdnNode(this WebApplicationBuilder builder, NodeRole role, int defaultPort)
    {
        builder.Configuration.AddOriginalEnvironmentVariables();
        var services = builder.Services;
        services.AddOptions<NodeOptions>()
            .BindConfiguration(NodeOptions.SectionName)
            .Configure(o =>
            {
                o.Role = role;
                if (role == NodeRole.Edge)
                {
                    o.PushAllowed = false;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new BufferMemoryBudget(sp.GetRequiredService<IOptions<NodeOptions>>().Value.BufferMemoryLimitBytes));
        services.AddSingleton<StreamDirectory>();
        var relay = builder.Configuration.GetSection(RelayOptions.SectionName).Get<RelayOptions>() ?? new RelayOptions();
        ValidateRelay(relay);
        services.AddSingleton(relay);
        services.AddSingleton<UpstreamResolver>();
        services.TryAddSingleton<IStreamResolver, StreamLookupChain>();
        services.AddSingleton<ConnectionTracker>();
        services.AddSingleton<ConnectionCounter>();
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton<NodeStatus>();
        services.AddSingleton<NodeProtocolHandler>();
        services.AddHostedService<ConnectionWatchdog>();
        services.AddHostedService<IdleMemoryTrimmer>();
        services.AddHostedService<NodeStartupReport>();
        services.AddMetrics();
        builder.AddPublishRegistry(announce: role == NodeRole.Publish);
        ConfigureAddresses(builder, defaultPort);
        builder.AddHlsCdnNodeHardening();
        return builder;
    }

    private static void ValidateRelay(RelayOptions relay)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(relay.UpstreamUrl)
            && (!Uri.TryCreate(relay.UpstreamUrl, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss")))
        {
            failures.Add($"Node:Relay:UpstreamUrl (RELAY_FROM_URL) must be an absolute ws:// or wss:// URL, got '{relay.UpstreamUrl}'.");
        }

        if (relay.UpstreamEnabled == true && string.IsNullOrWhiteSpace(relay.UpstreamUrl) && string.IsNullOrWhiteSpace(relay.UpstreamService))
        {
            failures.Add("Node:Relay:UpstreamEnabled (RELAY_FROM_ENABLED) is on, but neither Node:Relay:UpstreamUrl (RELAY_FROM_URL) nor Node:Relay:UpstreamService is set.");
        }

        NodeOptionsValidator.Positive(failures, "Node:Relay:InactivityTimeout", relay.InactivityTimeout);
        NodeOptionsValidator.Positive(failures, "Node:Relay:FailoverGracePeriod", relay.FailoverGracePeriod);
        NodeOptionsValidator.Positive(failures, "Node:Relay:FailoverRetryInterval", relay.FailoverRetryInterval);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(RelayOptions.SectionName, typeof(RelayOptions), failures);
        }
    }

    // Node:Http:Port / HTTP_PORT (+ Node:Http:BindAddress / HTTP_BIND_ADDRESS) win; then ASP.NET Core's own settings
    // (ASPNETCORE_URLS, HTTP_PORTS, Kestrel:Endpoints: what Aspire and container images set); else the default.
    private static void ConfigureAddresses(WebApplicationBuilder builder, int defaultPort)
    {
        var config = builder.Configuration;
        var port = config["Node:Http:Port"];
        if (!string.IsNullOrWhiteSpace(port))
        {
            if (!int.TryParse(port, out var p) || p is < 0 or > 65535)
            {
                throw new OptionsValidationException("Node:Http:Port", typeof(NodeOptions), [$"Node:Http:Port (HTTP_PORT) must be a port number 0-65535, got '{port}'."]);
            }

            var bind = config["Node:Http:BindAddress"];
            var host = string.IsNullOrWhiteSpace(bind) || bind is "0.0.0.0" or "*" ? "*" : bind.Contains(':', StringComparison.Ordinal) ? $"[{bind}]" : bind;
            builder.WebHost.UseUrls($"http://{host}:{p}");
            return;
        }

        var configured = !string.IsNullOrWhiteSpace(config[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrWhiteSpace(config[WebHostDefaults.HttpPortsKey])
            || !string.IsNullOrWhiteSpace(config[WebHostDefaults.HttpsPortsKey])
            || config.GetSection("Kestrel:Endpoints").Exists();
        if (!configured)
        {
            builder.WebHost.UseUrls($"http://localhost:{defaultPort}");
        }
    }
}
