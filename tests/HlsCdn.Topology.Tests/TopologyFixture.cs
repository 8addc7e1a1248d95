using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using HlsCdn.Client;
using HlsCdn.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HlsCdn.Topology.Tests;

/// <summary>
/// The AppHost's default topology (registry, publish-1/2, gateway-eu/us, edge-eu-1/2, edge-us-1/2, tester, console) started
/// with Aspire.Hosting.Testing from the AppHost itself (DCP, random ports, no dashboard), shared by a test class, and
/// torn down afterwards whatever happened: teardown fails loudly (after killing them) if any process the app ran —
/// DCP, the resources' processes and their children, e.g. the tester's ffmpeg — is still alive.
/// </summary>
public class TopologyFixture : IAsyncLifetime
{
    /// <summary>Bound on start-up: every resource healthy (the tester running).</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(240);

    /// <summary>Bound on the first fragment of the tester's stream arriving at an edge once all is healthy.</summary>
    public static readonly TimeSpan FirstFragmentTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Bound on every process being gone after the app is disposed (nodes shut down gracefully, ≤ 10 s).</summary>
    public static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<(int, long), ProcessId> _processes = [];
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _logs = new();
    private readonly CancellationTokenSource _sampling = new();
    private Task _sampler = Task.CompletedTask;
    private DistributedApplication? _app;
    private int _tornDown;

    /// <summary>The resources every default topology has.</summary>
    public static IReadOnlyList<string> ResourceNames { get; } =
    [
        "registry", "publish-1", "publish-2", "gateway-eu", "edge-eu-1", "edge-eu-2", "gateway-us", "edge-us-1", "edge-us-2", "tester", "console",
    ];

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The topology has not been started.");

    /// <summary>The stream the tester publishes (<c>Topology:StreamId</c>).</summary>
    public string StreamId { get; private set; } = "test";

    public string PullSecret { get; private set; } = string.Empty;

    /// <summary>From <c>StartAsync</c> until every resource was ready.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>From <c>StartAsync</c> until a spectator on edge-eu-1 received the first fragment of the tester's stream.</summary>
    public TimeSpan StartToFirstFragment { get; private set; }

    /// <summary>Every process the app ran (DCP, resources, their descendants), sampled each second.</summary>
    public IReadOnlyList<ProcessId> RecordedProcesses
    {
        get
        {
            lock (_gate)
            {
                return [.. _processes.Values];
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.HlsCdn_AppHost>(ct);
        StreamId = builder.Configuration["Topology:StreamId"] ?? "test";
        _app = await builder.BuildAsync(ct);
        try
        {
            var clock = Stopwatch.StartNew();
            await _app.StartAsync(ct);
            _sampler = SampleAsync(_sampling.Token);
            _ = CollectLogsAsync(_sampling.Token);

            using (var ready = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                ready.CancelAfter(ReadyTimeout);
                try
                {
                    await Task.WhenAll(ResourceNames.Select(name => name == "tester"
                        ? _app.ResourceNotifications.WaitForResourceAsync(name, KnownResourceStates.Running, ready.Token)
                        : _app.ResourceNotifications.WaitForResourceHealthyAsync(name, ready.Token)));
                }
                catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
                {
                    throw new TimeoutException($"The topology was not ready within {ReadyTimeout.TotalSeconds:0} s.\n{Describe()}", ex);
                }
            }

            StartToReady = clock.Elapsed;
            PullSecret = await ParameterAsync("pull-secret", ct);
            RecordProcesses();
            await WaitForFragmentAsync("edge-eu-1", FirstFragmentTimeout);
            StartToFirstFragment = clock.Elapsed;
            RecordProcesses();
        }
        catch (Exception ex)
        {
            var describe = Describe();
            await TearDownAsync();
            throw new InvalidOperationException(ex.Message + "\n" + describe, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var survivors = await TearDownAsync();
        GC.SuppressFinalize(this);
        if (survivors.Count > 0)
        {
            throw new InvalidOperationException("Processes outlived the topology's teardown (now killed): " + string.Join(", ", survivors));
        }
    }

    /// <summary>
    /// Stops and disposes the app, then waits for every recorded process to be gone; returns those that were not
    /// (after killing them). Idempotent: a second call returns nothing.
    /// </summary>
    public async Task<IReadOnlyList<ProcessId>> TearDownAsync()
    {
        if (Interlocked.Exchange(ref _tornDown, 1) == 1 || _app is null)
        {
            return [];
        }

        RecordProcesses();
        await _sampling.CancelAsync();
        await _sampler;
        try
        {
            using var stop = new CancellationTokenSource(TeardownTimeout);
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposal below still tears DCP down.
        }
        finally
        {
            await _app.DisposeAsync();
            _sampling.Dispose();
        }

        var survivors = await WaitForExitAsync(RecordedProcesses, TeardownTimeout);
        foreach (var survivor in survivors)
        {
            try
            {
                // Only the recorded process itself (its children are recorded too): never anything else.
                using var process = Process.GetProcessById(survivor.Pid);
                process.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }

        return survivors;
    }

    /// <summary>The node's HTTP base URL through Aspire's endpoint (e.g. <c>http://localhost:41234/</c>).</summary>
    public Uri HttpUrl(string name) => new(App.GetEndpoint(name, "http").ToString().TrimEnd('/') + "/");

    /// <summary>The node's WebSocket URL (pull/push) (e.g. <c>ws://localhost:41234/</c>).</summary>
    public Uri WebSocketUrl(string name) => new("ws://" + HttpUrl(name).Authority + "/");

    /// <summary>A pull token for <paramref name="streamId"/> (the tester's stream by default) signed with the pull secret.</summary>
    public string PullToken(string? streamId = null) =>
        StreamTokenIssuer.Issue(PullSecret, StreamAccess.Pull, streamId ?? StreamId, TimeSpan.FromHours(1));

    /// <summary>A subscriber to the tester's stream on <paramref name="node"/> (no reconnects: a dropped connection shows).</summary>
    public StreamSpectator Subscribe(string node, string? streamId = null) => new(new StreamSpectatorOptions
    {
        Url = WebSocketUrl(node),
        StreamId = streamId ?? StreamId,
        Token = PullToken(streamId),
    });

    /// <summary>
    /// Waits for a fragment of the tester's stream to be delivered on <paramref name="node"/>, subscribing again while
    /// the stream is not there yet (<c>OK</c> + <c>CLOSE</c>) or the connection fails.
    /// </summary>
    public async Task<ReceivedFragment> WaitForFragmentAsync(string node, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        string? last = null;
        while (!deadline.IsCancellationRequested)
        {
            await using var subscriber = Subscribe(node);
            try
            {
                await foreach (var fragment in subscriber.ReadFragmentsAsync(deadline.Token))
                {
                    return fragment;
                }

                last = "the node answered OK + CLOSE (stream not there yet)";
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is StreamConnectionException or StreamProtocolException)
            {
                last = ex.Message;
            }

            try
            {
                await Task.Delay(250, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"No fragment of '{StreamId}' reached {node} within {timeout.TotalSeconds:0} s (last: {last ?? "nothing"}).");
    }

    /// <summary>The resource's state as Aspire reports it (e.g. <c>Running</c>, <c>Exited</c>) and its health.</summary>
    public (string? State, HealthStatus? Health) StateOf(string name) =>
        App.ResourceNotifications.TryGetCurrentState(name, out var e) ? (e.Snapshot.State?.Text, e.Snapshot.HealthStatus) : (null, null);

    /// <summary>The process DCP started for a resource (for a project: <c>dotnet run</c>).</summary>
    public int? LaunchedProcessOf(string name) =>
        App.ResourceNotifications.TryGetCurrentState(name, out var e)
        && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), CultureInfo.InvariantCulture, out var pid)
        && pid > 1 // 0 before the process exists
            ? pid
            : null;

    /// <summary>The process of the service itself (the program <c>dotnet run</c> started), e.g. to kill it.</summary>
    public int ProcessIdOf(string name)
    {
        var launched = LaunchedProcessOf(name) ?? throw new InvalidOperationException($"'{name}' has no process ({StateOf(name).State}).");
        var service = ProcessTree.Descendants(launched).Prepend(launched)
            .Select(ProcessInfo.Identify)
            .OfType<ProcessId>()
            .FirstOrDefault(p => p.Name.StartsWith("HlsCdn.", StringComparison.Ordinal));
        return service.Name is null ? throw new InvalidOperationException($"'{name}' has no HlsCdn process under pid {launched}.") : service.Pid;
    }

    /// <summary>The last <paramref name="count"/> console log lines of resource <paramref name="name"/> ("! " marks stderr).</summary>
    public IReadOnlyList<string> LogTail(string name, int count) =>
        _logs.TryGetValue(name, out var lines) ? [.. lines.TakeLast(count)] : [];

    /// <summary>Every resource's state, health, pid, exit code (once it exited) and last log lines: what a failure message needs.</summary>
    public string Describe(int logLines = 8)
    {
        if (_app is null)
        {
            return "(not started)";
        }

        var text = new StringBuilder();
        foreach (var name in ResourceNames)
        {
            var (state, health) = StateOf(name);
            var exit = App.ResourceNotifications.TryGetCurrentState(name, out var e) && e.Snapshot.ExitCode is { } code
                ? string.Create(CultureInfo.InvariantCulture, $" exit={code}{(e.Snapshot.StopTimeStamp is { } stopped ? $" at {stopped.ToUniversalTime():HH:mm:ss.fff}Z" : string.Empty)}")
                : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"- {name}: {state ?? "?"} {health?.ToString() ?? "-"} pid={LaunchedProcessOf(name)?.ToString(CultureInfo.InvariantCulture) ?? "-"}{exit}\n");
            if (_logs.TryGetValue(name, out var lines))
            {
                foreach (var line in lines.TakeLast(logLines))
                {
                    text.Append("    ").Append(line).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Adds DCP's processes (those monitoring this test host) and every resource's process tree to
    /// <see cref="RecordedProcesses"/>.
    /// </summary>
    public void RecordProcesses()
    {
        if (_app is null)
        {
            return;
        }

        var roots = DcpProcesses(Environment.ProcessId).ToList();
        roots.AddRange(ResourceNames.Select(LaunchedProcessOf).OfType<int>());
        foreach (var root in roots.Where(r => r > 1 && r != Environment.ProcessId))
        {
            foreach (var id in ProcessTree.Descendants(root).Prepend(root))
            {
                if (ProcessInfo.Identify(id) is { } process)
                {
                    lock (_gate)
                    {
                        // Overwritten: a process sampled between fork and exec carries its parent's name until exec.
                        _processes[(process.Pid, process.StartTicks)] = process;
                    }
                }
            }
        }
    }

    /// <summary>DCP's API server started for the AppHost process <paramref name="appHost"/> (it runs detached, monitoring it).</summary>
    public static IEnumerable<int> DcpProcesses(int appHost)
    {
        var monitor = "--monitor\0" + appHost.ToString(CultureInfo.InvariantCulture) + "\0";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Contains("dcp\0start-apiserver\0", StringComparison.Ordinal) && commandLine.Contains(monitor, StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    /// <summary>The processes of <paramref name="processes"/> still alive after waiting up to <paramref name="timeout"/>.</summary>
    public static async Task<IReadOnlyList<ProcessId>> WaitForExitAsync(IEnumerable<ProcessId> processes, TimeSpan timeout)
    {
        var list = processes.ToList();
        var until = Stopwatch.StartNew();
        while (list.Any(ProcessInfo.IsAlive) && until.Elapsed < timeout)
        {
            await Task.Delay(100);
        }

        return list.Where(ProcessInfo.IsAlive).ToList();
    }

    private async Task<string> ParameterAsync(string name, CancellationToken ct)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var parameter = model.Resources.OfType<ParameterResource>().Single(p => p.Name == name);
        return await parameter.GetValueAsync(ct) ?? throw new InvalidOperationException($"Parameter '{name}' has no value.");
    }

    /// <summary>
    /// Collects every resource's console log. The logger service keys logs by the resource's instance id (the name
    /// DCP gives it, e.g. <c>tester-abcdefgh</c>), not by its name in the app model: the ids come from the notifications.
    /// </summary>
    private async Task CollectLogsAsync(CancellationToken ct)
    {
        var watching = new HashSet<string>();
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(ct))
            {
                if (ResourceNames.Contains(update.Resource.Name) && watching.Add(update.ResourceId))
                {
                    _ = CollectLogsAsync(update.Resource.Name, update.ResourceId, ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Torn down.
        }
    }

    private async Task CollectLogsAsync(string name, string resourceId, CancellationToken ct)
    {
        var lines = _logs.GetOrAdd(name, _ => new ConcurrentQueue<string>());
        try
        {
            await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resourceId).WithCancellation(ct))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue((line.IsErrorMessage ? "! " : "  ") + line.Content);
                    while (lines.Count > 50)
                    {
                        lines.TryDequeue(out _);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Torn down.
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            RecordProcesses();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
