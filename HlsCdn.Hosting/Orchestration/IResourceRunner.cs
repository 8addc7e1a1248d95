namespace HlsCdn.Hosting.Orchestration;

/// <summary>Runs one resource: starts it, watches it, stops it.</summary>
public interface IResourceRunner : IAsyncDisposable
{
    ResourceStatus Status { get; }

    LogRing Logs { get; }

    /// <summary>Probe for readiness and health; null when the resource is ready once running.</summary>
    IHealthProbe? HealthProbe { get; }

    /// <summary>Starts the resource (its dependencies are already ready).</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the resource and everything it started.</summary>
    Task StopAsync();
}
