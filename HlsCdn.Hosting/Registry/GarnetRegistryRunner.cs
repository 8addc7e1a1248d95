using Garnet;
using HlsCdn.Hosting.Model;
using HlsCdn.Hosting.Orchestration;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting.Registry;

/// <summary>
/// The default registry: an in-process Garnet server on the registry's loopback port, password-protected with the
/// registry's password parameter, memory-only and sized for a development cluster. Its log goes to the resource's console.
/// </summary>
public sealed class GarnetRegistryRunner : IResourceRunner
{
    private readonly RegistryResource _registry;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _garnetLogs;
    private GarnetServer? _server;

    public GarnetRegistryRunner(ResourceStatus status, RegistryResource registry, OrchestratorOptions options, ILogger logger)
    {
        Status = status;
        _registry = registry;
        _logger = logger;
        Logs = new LogRing(options.LogLines);
        _garnetLogs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new LogRingLoggerProvider(Logs)));
        var endpoint = registry.GetEndpoint("tcp")!;
        HealthProbe = new LazyProbe(() => new RespHealthProbe(EndpointAnnotation.Host, endpoint.Port, registry.Password.Value));
    }

    public ResourceStatus Status { get; }

    public LogRing Logs { get; }

    public IHealthProbe? HealthProbe { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Status.Set(ResourceState.Starting);
        var port = _registry.GetEndpoint("tcp")!.Port;
        var password = _registry.Password.Value;
        try
        {
            // Garnet's own command line fills in every default (Lua, stores, network) consistently.
            string[] arguments =
            [
                "--bind", EndpointAnnotation.Host,
                "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--auth", "Password",
                "--password", password,
                "--memory", "256m",
                "--page", "1m",
                "--index", "16m",
                "--lua", "true",
            ];
            _server = new GarnetServer(arguments, _garnetLogs);
            _server.Start();
        }
        catch (Exception ex)
        {
            Logs.Add("[apphost] Garnet failed to start: " + ex, isError: true);
            Log.StartFailed(_logger, _registry.Name, ex.Message);
            Status.Set(ResourceState.Failed, ex.Message);
            return Task.CompletedTask;
        }

        _registry.SetRuntimeConnectionString(RedisConnectionStrings.Loopback(port, password));
        Logs.Add($"[apphost] Garnet listening on 127.0.0.1:{port} (password protected, memory only)");
        Log.RegistryStarted(_logger, _registry.Name, "Garnet", $"127.0.0.1:{port}");
        Status.Started(Environment.ProcessId);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            Status.Set(ResourceState.Stopping);
            server.Dispose();
            Status.Exited(0, expected: true);
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _garnetLogs.Dispose();
    }
}

/// <summary>The registry given by <c>Registry:ConnectionString</c>: nothing to start, ready at once.</summary>
public sealed class ExternalRegistryRunner(ResourceStatus status, RegistryResource registry, OrchestratorOptions options) : IResourceRunner
{
    public ResourceStatus Status { get; } = status;

    public LogRing Logs { get; } = new(options.LogLines);

    public IHealthProbe? HealthProbe => null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.SetRuntimeConnectionString(registry.ExternalConnectionString!);
        Logs.Add("[apphost] using the external registry from Registry:ConnectionString");
        Status.Started(null);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        Status.Exited(0, expected: true);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>StackExchange.Redis connection strings.</summary>
public static class RedisConnectionStrings
{
    public static string Loopback(int port, string password) => $"{EndpointAnnotation.Host}:{port},password={password}";
}

/// <summary>A probe created on first use (when ports and secrets are known).</summary>
internal sealed class LazyProbe(Func<IHealthProbe> create) : IHealthProbe
{
    private readonly Lazy<IHealthProbe> _probe = new(create);

    public Task<bool> CheckAsync(CancellationToken cancellationToken) => _probe.Value.CheckAsync(cancellationToken);
}
