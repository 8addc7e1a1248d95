namespace HlsCdn.Hosting.Orchestration;

/// <summary>Polls each running resource's health probe and records the result in its status.</summary>
public sealed class HealthMonitor(TimeSpan interval)
{
    public async Task RunAsync(IEnumerable<IResourceRunner> runners, CancellationToken cancellationToken)
    {
        var probed = runners.Where(r => r.HealthProbe is not null).ToList();
        await Task.WhenAll(probed.Select(r => WatchAsync(r, cancellationToken)));
    }

    private async Task WatchAsync(IResourceRunner runner, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var status = runner.Status;
            if (status.State is ResourceState.Running or ResourceState.Healthy or ResourceState.Unhealthy)
            {
                var healthy = await runner.HealthProbe!.CheckAsync(cancellationToken);
                status.Health(healthy);
            }

            // Probe quickly until ready, then at the configured pace.
            var delay = status.State == ResourceState.Healthy ? interval : TimeSpan.FromMilliseconds(Math.Min(250, interval.TotalMilliseconds));
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
