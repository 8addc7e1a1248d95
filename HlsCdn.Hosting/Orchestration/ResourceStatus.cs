using HlsCdn.Hosting.Model;

namespace HlsCdn.Hosting.Orchestration;

/// <summary>The life of a resource in a run.</summary>
public enum ResourceState
{
    NotStarted,

    /// <summary>Waiting for the resources it depends on to be ready.</summary>
    Waiting,
    Starting,

    /// <summary>Running; no health check, or none answered yet.</summary>
    Running,
    Healthy,
    Unhealthy,

    /// <summary>The process ended; <see cref="ResourceStatus.ExitCode"/> says how.</summary>
    Exited,

    /// <summary>Could not be started (missing build output, a dependency failed, ...).</summary>
    Failed,
    Stopping,
}

/// <summary>A point-in-time view of a resource for the dashboard and the tests.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string Kind,
    string State,
    int? ExitCode,
    int? ProcessId,
    int Restarts,
    string? Health,
    string? Message,
    DateTimeOffset? StartedAt,
    IReadOnlyList<string> Endpoints,
    IReadOnlyList<string> References,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>The mutable state of one resource in a run. Thread-safe; readiness is awaitable.</summary>
public sealed class ResourceStatus(Resource resource, bool hasHealthCheck)
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Resource Resource { get; } = resource;

    /// <summary>Whether readiness waits for a health probe (else the resource is ready once running).</summary>
    public bool HasHealthCheck { get; } = hasHealthCheck;

    public ResourceState State { get; private set; } = ResourceState.NotStarted;

    public int? ExitCode { get; private set; }

    public int? ProcessId { get; private set; }

    public int Restarts { get; private set; }

    public string? Message { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>Completes the first time the resource is ready; faults if it fails or exits before.</summary>
    public Task Ready => _ready.Task;

    public event Action<ResourceStatus>? Changed;

    public bool IsReady => State is ResourceState.Healthy || (State is ResourceState.Running && !HasHealthCheck);

    public void Set(ResourceState state, string? message = null)
    {
        lock (_lock)
        {
            State = state;
            Message = message;
        }

        if (state is ResourceState.Healthy || (state is ResourceState.Running && !HasHealthCheck))
        {
            _ready.TrySetResult();
        }
        else if (state is ResourceState.Failed)
        {
            _ready.TrySetException(new InvalidOperationException($"Resource '{Resource.Name}' failed: {message}"));
        }

        Changed?.Invoke(this);
    }

    public void Started(int? processId)
    {
        lock (_lock)
        {
            ProcessId = processId;
            ExitCode = null;
            StartedAt = DateTimeOffset.UtcNow;
        }

        Set(ResourceState.Running);
    }

    public void Exited(int exitCode, bool expected)
    {
        lock (_lock)
        {
            ExitCode = exitCode;
        }

        Set(ResourceState.Exited, expected ? "stopped" : $"exited with code {exitCode}");
        if (!expected)
        {
            _ready.TrySetException(new InvalidOperationException($"Resource '{Resource.Name}' exited with code {exitCode} before it was ready."));
        }
    }

    public void Restarting()
    {
        lock (_lock)
        {
            Restarts++;
        }
    }

    /// <summary>Records a health probe's result while the resource runs.</summary>
    public void Health(bool healthy)
    {
        if (State is ResourceState.Running or ResourceState.Healthy or ResourceState.Unhealthy)
        {
            var next = healthy ? ResourceState.Healthy : (State == ResourceState.Running ? ResourceState.Running : ResourceState.Unhealthy);
            if (next != State)
            {
                Set(next);
            }
        }
    }

    public ResourceSnapshot Snapshot()
    {
        lock (_lock)
        {
            string? health = !HasHealthCheck ? null : State switch
            {
                ResourceState.Healthy => "Healthy",
                ResourceState.Unhealthy => "Unhealthy",
                _ => "Unknown",
            };
            return new ResourceSnapshot(
                Resource.Name,
                Resource.Kind.ToString(),
                State == ResourceState.Exited && ExitCode is { } code ? $"Exited({code})" : State.ToString(),
                ExitCode,
                ProcessId,
                Restarts,
                health,
                Message,
                StartedAt,
                Resource.Endpoints.Where(e => !e.PublishOnly && e.AllocatedPort is not null).Select(e => e.Url).ToList(),
                Resource.References.Select(r => r.Name).ToList(),
                new Dictionary<string, string>(Resource.Labels));
        }
    }
}
