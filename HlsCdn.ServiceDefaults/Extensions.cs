using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Adds common services every HlsCdn service uses: OpenTelemetry (OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set), default health checks, service discovery and HTTP resilience. The shape of Aspire's ServiceDefaults.
/// </summary>
public static class Extensions
{
    /// <summary>Readiness: every health check.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: only checks tagged <c>live</c>.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Meters and activity sources of HlsCdn's own libraries (wildcard).</summary>
    public const string HlsCdnTelemetryNames = "HlsCdn.*";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// OpenTelemetry logs, metrics and traces, exported over OTLP, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (as
    /// Aspire sets it). Without an exporter nothing is recorded: a node's WebSocket session is one HTTP request that
    /// lasts for hours, and its activities, tags and log scopes would be held per connection for nothing (about 2 KiB
    /// each; docs/performance.md). The meters are still there for <c>dotnet-counters</c>.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(HlsCdnTelemetryNames))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, HlsCdnTelemetryNames)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath, StringComparison.Ordinal)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath, StringComparison.Ordinal))
                .AddHttpClientInstrumentation());

        builder.Services.AddOpenTelemetry().UseOtlpExporter();

        // The exporter takes its HttpClients from IHttpClientFactory, so they would inherit the standard resilience
        // handler above (retries with back-off, 30 s in all). When the collector is gone first, as Aspire's dashboard is
        // when the AppHost stops, every flush at shutdown then retried for ~10 s and kept the service alive past the
        // orchestrator's stop timeout. Telemetry is best effort: one attempt, and the exporter's own policy.
        foreach (var exporter in OtlpExporterClientNames)
        {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented opt-out.
            builder.Services.AddHttpClient(exporter).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        }

        return builder;
    }

    /// <summary>The names under which the OTLP exporter asks <c>IHttpClientFactory</c> for its clients.</summary>
    public static IReadOnlyList<string> OtlpExporterClientNames { get; } = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: all checks) and <c>/alive</c> (live: checks tagged <c>live</c>). Mapped in every
    /// environment, not only Development: a CDN node is probed by its orchestrator and load balancer in production.
    /// The answers carry only the status word, never check details.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }
}
