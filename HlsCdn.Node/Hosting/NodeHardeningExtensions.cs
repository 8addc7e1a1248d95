using System.Net;
using System.Threading.RateLimiting;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Connections;
using HlsCdn.Node.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace HlsCdn.Node.Hosting;

/// <summary>
/// The node's protections: graceful shutdown, per-IP rate and connection limits, forwarded headers from known proxies
/// only, the optional Origin allow-list, and the TLS listener with certificate reload. See docs/hardening.md.
/// </summary>
public static class NodeHardeningExtensions
{
    /// <summary>Registers the hardening services and listeners (called by <see cref="NodeHostingExtensions.AddHlsCdnNode"/>).</summary>
    internal static void AddHlsCdnNodeHardening(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NodeRateLimitOptions>().BindConfiguration(NodeRateLimitOptions.SectionName).ValidateOnStart();
        services.AddOptions<NodeForwardedHeadersOptions>().BindConfiguration(NodeForwardedHeadersOptions.SectionName).ValidateOnStart();
        services.AddOptions<NodeTlsOptions>().BindConfiguration(NodeTlsOptions.SectionName).ValidateOnStart();
        services.AddOptions<NodeHttpOptions>().BindConfiguration(NodeHttpOptions.SectionName);
        services.AddSingleton<HardeningOptionsValidator>();
        services.AddSingleton<IValidateOptions<NodeOptions>>(sp => sp.GetRequiredService<HardeningOptionsValidator>());
        services.AddSingleton<IValidateOptions<NodeRateLimitOptions>>(sp => sp.GetRequiredService<HardeningOptionsValidator>());
        services.AddSingleton<IValidateOptions<NodeForwardedHeadersOptions>>(sp => sp.GetRequiredService<HardeningOptionsValidator>());
        services.AddSingleton<IValidateOptions<NodeTlsOptions>>(sp => sp.GetRequiredService<HardeningOptionsValidator>());

        services.AddSingleton<NodeLifecycle>();
        services.AddSingleton<NodeLimitMetrics>();
        services.AddHostedService<NodeShutdownService>();
        services.AddOptions<HostOptions>().Configure<IOptions<NodeOptions>>((host, node) => host.ShutdownTimeout = node.Value.ShutdownTimeout);

        // A TCP connection that never sends a request (or never finishes its headers) is held by Kestrel for its
        // keep-alive timeout, 130 s by default: at most the first-message deadline here, so idle sockets cannot pile up.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<NodeOptions>>((kestrel, node) =>
        {
            var deadline = node.Value.FirstMessageTimeout;
            kestrel.Limits.KeepAliveTimeout = deadline < kestrel.Limits.KeepAliveTimeout ? deadline : kestrel.Limits.KeepAliveTimeout;
            kestrel.Limits.RequestHeadersTimeout = deadline < kestrel.Limits.RequestHeadersTimeout ? deadline : kestrel.Limits.RequestHeadersTimeout;
        });

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<NodeRateLimitOptions>, NodeLimitMetrics, ILoggerFactory>(ConfigureRateLimiter);

        services.AddSingleton<TlsCertificateStore>();
        services.AddHostedService<TlsCertificateReloader>();
        ConfigureListeners(builder);
    }

    /// <summary>Adds, after <c>UseWebSockets</c>: forwarded headers (known proxies only), 503 while stopping, the Origin check, the rate limiter.</summary>
    internal static void UseHlsCdnNodeGuards(this WebApplication app)
    {
        var forwarded = app.Services.GetRequiredService<IOptions<NodeForwardedHeadersOptions>>().Value;
        if (forwarded.IsConfigured)
        {
            var headers = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            headers.KnownProxies.Clear();
            headers.KnownIPNetworks.Clear();
            foreach (var proxy in HardeningParsing.Split(forwarded.KnownProxies))
            {
                headers.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in HardeningParsing.Split(forwarded.KnownNetworks))
            {
                headers.KnownIPNetworks.Add(IPNetwork.Parse(network));
            }

            app.UseForwardedHeaders(headers);
        }

        var node = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
        var lifecycle = app.Services.GetRequiredService<NodeLifecycle>();
        var metrics = app.Services.GetRequiredService<NodeLimitMetrics>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NodeHardeningExtensions).FullName!);
        var origins = string.IsNullOrWhiteSpace(node.AllowedOrigins)
            ? null
            : new HashSet<string>(HardeningParsing.Split(node.AllowedOrigins).Select(HardeningParsing.NormalizeOrigin), StringComparer.Ordinal);
        app.Use(async (context, next) =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                if (lifecycle.IsStopping)
                {
                    HardeningLog.RefusedShuttingDown(logger, context.Connection.RemoteIpAddress?.ToString());
                    metrics.Refusals.Add(1, new KeyValuePair<string, object?>("reason", "shutdown"));
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "1";
                    return;
                }

                if (origins is not null && context.Request.Headers.Origin.ToString() is { Length: > 0 } origin && !origins.Contains(HardeningParsing.NormalizeOrigin(origin)))
                {
                    HardeningLog.RefusedOrigin(logger, context.Connection.RemoteIpAddress?.ToString(), origin.Length <= 200 ? origin : origin[..200]);
                    metrics.Refusals.Add(1, new KeyValuePair<string, object?>("reason", "origin"));
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }
            }

            await next(context).ConfigureAwait(false);
        });

        var limits = app.Services.GetRequiredService<IOptions<NodeRateLimitOptions>>().Value;
        if (limits.Enabled && (limits.ConnectionsPerIp > 0 || limits.RequestsPerSecond > 0))
        {
            app.UseRateLimiter();
        }
    }

    private static void ConfigureRateLimiter(RateLimiterOptions options, IOptions<NodeRateLimitOptions> limitOptions, NodeLimitMetrics metrics, ILoggerFactory loggers)
    {
        var limits = limitOptions.Value;
        if (!limits.Enabled)
        {
            return;
        }

        var allowList = limits.ParsedAllowList;
        var logger = loggers.CreateLogger(typeof(NodeHardeningExtensions).FullName!);
        var chain = new List<PartitionedRateLimiter<HttpContext>>();
        if (limits.RequestsPerSecond > 0)
        {
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(limits.RequestBurst, limits.RequestsPerSecond),
                TokensPerPeriod = limits.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
            chain.Add(PartitionedRateLimiter.Create<HttpContext, string>(context =>
                ClientKey(context, allowList) is { } key
                    ? RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket)
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
        }

        if (limits.ConnectionsPerIp > 0)
        {
            // One permit per WebSocket session, held by the middleware for the whole request, i.e. the whole session.
            var concurrency = new ConcurrencyLimiterOptions { PermitLimit = limits.ConnectionsPerIp, QueueLimit = 0 };
            chain.Add(PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.WebSockets.IsWebSocketRequest && ClientKey(context, allowList) is { } key
                    ? RateLimitPartition.GetConcurrencyLimiter(key, _ => concurrency)
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
        }

        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = chain.Count switch
        {
            0 => null,
            1 => chain[0],
            _ => PartitionedRateLimiter.CreateChained([.. chain]),
        };
        options.OnRejected = (context, _) =>
        {
            var kind = context.HttpContext.WebSockets.IsWebSocketRequest ? "websocket" : "http";
            metrics.RateLimitRejections.Add(1, new KeyValuePair<string, object?>("kind", kind));
            HardeningLog.RateLimited(logger, kind, context.HttpContext.Connection.RemoteIpAddress?.ToString());
            return ValueTask.CompletedTask;
        };
    }

    // The partition key of a limited client; null for allow-listed (or unknown) addresses.
    private static string? ClientKey(HttpContext context, IReadOnlyList<IPNetwork> allowList)
    {
        if (context.Connection.RemoteIpAddress is not { } remote)
        {
            return null;
        }

        var address = HardeningParsing.Normalize(remote);
        foreach (var network in allowList)
        {
            if (network.Contains(address))
            {
                return null;
            }
        }

        return address.ToString();
    }

    // Node:Tls:* adds an https:// address (certificate from TlsCertificateStore); Node:Http:Enabled=false removes the http:// ones.
    private static void ConfigureListeners(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var tls = config.GetSection(NodeTlsOptions.SectionName).Get<NodeTlsOptions>() ?? new NodeTlsOptions();
        var httpEnabled = config.GetValue(NodeHttpOptions.SectionName + ":Enabled", true);
        if (!tls.Enabled && httpEnabled)
        {
            return;
        }

        var urls = new List<string>();
        var current = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(current) && config[WebHostDefaults.HttpPortsKey] is { Length: > 0 } ports)
        {
            current = string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }

        foreach (var url in (current ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (httpEnabled || !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                urls.Add(url);
            }
        }

        if (tls.Enabled)
        {
            var bind = tls.BindAddress;
            var host = string.IsNullOrWhiteSpace(bind) || bind is "0.0.0.0" or "*" ? "*" : bind.Contains(':', StringComparison.Ordinal) ? $"[{bind}]" : bind;
            urls.Add($"https://{host}:{tls.Port}");
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                var store = kestrel.ApplicationServices.GetRequiredService<TlsCertificateStore>();
                https.ServerCertificateSelector = (_, _) => store.Current;
            }));
        }

        if (urls.Count == 0)
        {
            throw new OptionsValidationException(NodeHttpOptions.SectionName, typeof(NodeHttpOptions), ["Node:Http:Enabled (HTTP_ENABLED) is false and Node:Tls:Enabled (TLS_ENABLED) is not set: the node would listen nowhere."]);
        }

        builder.WebHost.UseUrls([.. urls]);
    }
}
