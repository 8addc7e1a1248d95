using HlsCdn.Hosting.Model;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting.Orchestration;

/// <summary>
/// Runs the model locally: allocates loopback ports, starts each resource once the resources it references are
/// ready (healthy when they have a health check), watches health, and stops everything on the way out.
/// </summary>
public sealed class ApplicationRunner : IAsyncDisposable
{
    private readonly IReadOnlyList<Resource> _resources;
    private readonly Dictionary<string, IResourceRunner> _runners = new(StringComparer.Ordinal);
    private readonly PortAllocator _ports;
    private readonly HealthMonitor _health;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private int _stopped;

    public ApplicationRunner(IReadOnlyList<Resource> resources, ResourceRunnerFactory factory, PortAllocator ports, OrchestratorOptions options, ILogger logger)
    {
        _resources = resources;
        _ports = ports;
        _logger = logger;
        _health = new HealthMonitor(options.HealthInterval);
        foreach (var resource in resources)
        {
            if (factory.Create(resource) is { } runner)
            {
                _runners[resource.Name] = runner;
                runner.Status.Changed += s => Log.StateChanged(_logger, s.Resource.Name, s.Snapshot().State);
            }
        }
    }

    /// <summary>Runners in declaration order (parameters have none).</summary>
    public IEnumerable<IResourceRunner> Runners => _resources.Where(r => _runners.ContainsKey(r.Name)).Select(r => _runners[r.Name]);

    public IResourceRunner? Get(string name) => _runners.GetValueOrDefault(name);

    /// <summary>Gives every endpoint that runs locally a free loopback port (those already set are kept).</summary>
    public void AllocatePorts()
    {
        foreach (var endpoint in _resources.SelectMany(r => r.Endpoints).Where(e => !e.PublishOnly && e.AllocatedPort is null))
        {
            endpoint.AllocatedPort = _ports.Allocate();
        }
    }

    /// <summary>Starts every resource in dependency order; returns once all have been started or failed (not necessarily healthy).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        AllocatePorts();
        _tasks.Add(_health.RunAsync(_runners.Values, _stop.Token));
        var starts = Runners.Select(r => StartWhenReadyAsync(r, cancellationToken)).ToList();
        await Task.WhenAll(starts);
    }

    /// <summary>Waits until every resource is ready, or throws when one fails or the timeout passes.</summary>
    public async Task WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_runners.Values.Select(r => r.Status.Ready)).WaitAsync(timeout, cancellationToken);
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        Log.Stopping(_logger);
        await _stop.CancelAsync();

        // Dependents first, the registry last, so nothing logs a spurious outage while stopping.
        var registries = Runners.Where(r => r.Status.Resource is RegistryResource).ToList();
        await Task.WhenAll(Runners.Except(registries).Select(r => r.StopAsync()));
        await Task.WhenAll(registries.Select(r => r.StopAsync()));
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Monitors end with the stop token.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var runner in _runners.Values)
        {
            await runner.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task StartWhenReadyAsync(IResourceRunner runner, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var dependencies = runner.Status.Resource.WaitsFor.Where(d => _runners.ContainsKey(d.Name)).ToList();
        if (dependencies.Count > 0)
        {
            runner.Status.Set(ResourceState.Waiting, "waiting for " + string.Join(", ", dependencies.Select(d => d.Name)));
            try
            {
                await Task.WhenAll(dependencies.Select(d => _runners[d.Name].Status.Ready)).WaitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                runner.Status.Set(ResourceState.NotStarted, "stopped before it could start");
                return;
            }
            catch (InvalidOperationException ex)
            {
                runner.Status.Set(ResourceState.Failed, "a dependency failed: " + ex.Message);
                return;
            }
        }

        await runner.StartAsync(linked.Token);
    }
}
