namespace HlsCdn.AppHost;

/// <summary>How the services of the local cluster export their telemetry to the Aspire dashboard.</summary>
public static class TelemetryResourceExtensions
{
    /// <summary>The OpenTelemetry .NET exporter's retry switch (<c>in_memory</c> or <c>disk</c>; unset: no retry).</summary>
    public const string OtlpRetryVariable = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

    /// <summary>
    /// Turns off the exporter's retries that Aspire switches on for every project (<c>in_memory</c>: a failed export is
    /// retried until its 10 s deadline). When the AppHost stops, the dashboard (the collector) stops with everything
    /// else, and each service's final flush then retried for up to 10 s: Ctrl+C took 18–21 s to end the cluster, a
    /// node holding on ~10 s after it had drained. The dashboard is on loopback; a lost batch is not worth that.
    /// </summary>
    public static void WithoutTelemetryRetries(this IDistributedApplicationBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context => context.EnvironmentVariables.Remove(OtlpRetryVariable));
        }
    }
}
