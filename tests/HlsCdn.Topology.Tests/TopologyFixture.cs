using System.Diagnostics;
using System.Text;
using HlsCdn.Client;
using HlsCdn.Hosting;
using HlsCdn.Hosting.Model;
using HlsCdn.Hosting.Orchestration;
using HlsCdn.Protocol;

namespace HlsCdn.Topology.Tests;

/// <summary>
/// The AppHost's default topology (registry, publish-1/2, gateway-eu/us, edge-eu-1/2, edge-us-1/2, tester), built
/// from the AppHost's own model with free loopback ports (the dashboard's too), started once per test class, and
/// torn down afterwards whatever happened: every process it started is stopped, and teardown fails loudly (after
/// killing them) if any process it ever recorded is still alive.
/// </summary>
public class TopologyFixture : IAsyncLifetime
{
    /// <summary>Bound on start-up: every resource healthy (or running, without a health check).</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Bound on the first fragment of the tester's stream arriving at an edge once all is healthy.</summary>
    public static readonly TimeSpan FirstFragmentTimeout = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly Dictionary<(int, long), ProcessId> _processes = [];
    private readonly CancellationTokenSource _sampling = new();
    private Task _sampler = Task.CompletedTask;
    private DistributedApplication? _app;
    private int _tornDown;

    /// <summary>The resources every default topology has.</summary>
    public static IReadOnlyList<string> ResourceNames { get; } =
    [
        "registry", "publish-1", "publish-2", "gateway-eu", "edge-eu-1", "edge-eu-2", "gateway-us", "edge-us-1", "edge-us-2", "tester",
    ];

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The topology has not been started.");

    public ApplicationRunner Runner => App.Runner ?? throw new InvalidOperationException("The topology has not been started.");

    public Uri DashboardUrl => App.DashboardUrl ?? throw new InvalidOperationException("The dashboard is not running.");

    /// <summary>The stream the tester publishes (<c>Topology:StreamId</c>).</summary>
    public string StreamId { get; private set; } = "test";

    public string PushSecret => Parameter("push-secret");

    public string PullSecret => Parameter("pull-secret");

    /// <summary>From <c>StartAsync</c> until every resource was ready.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>From <c>StartAsync</c> until a spectator on edge-eu-1 received the first fragment of the tester's stream.</summary>
    public TimeSpan StartToFirstFragment { get; private set; }

    /// <summary>Every process the topology ran (children and their descendants, e.g. the tester's ffmpeg), sampled each second.</summary>
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

    /// <summary>Extra AppHost arguments of a derived fixture.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    public async ValueTask InitializeAsync()
    {
        var args = new List<string>
        {
            "--Dashboard:Port=0",
            "--Orchestrator:StopTimeout=00:00:03",
        };
        args.AddRange(Arguments);
        _app = DistributedApplication.CaptureFromEntryPoint(typeof(Program).Assembly, [.. args]);
        StreamId = _app.Builder.Configuration["Topology:StreamId"] ?? "test";
        try
        {
            var clock = Stopwatch.StartNew();
            await _app.StartAsync(TestContext.Current.CancellationToken);
            _sampler = SampleProcessesAsync(_sampling.Token);
            try
            {
                await Runner.WaitForReadyAsync(ReadyTimeout, TestContext.Current.CancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"The topology was not ready within {ReadyTimeout.TotalSeconds:0} s ({ex.Message}).\n{Describe()}", ex);
            }

            StartToReady = clock.Elapsed;
            RecordProcesses();
            try
            {
                await WaitForFragmentAsync("edge-eu-1", FirstFragmentTimeout);
            }
            catch (TimeoutException ex)
            {
                throw new InvalidOperationException(ex.Message + "\n" + Describe(), ex);
            }

            StartToFirstFragment = clock.Elapsed;
            RecordProcesses();
        }
        catch
        {
            await TearDownAsync();
            throw;
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
    /// Stops everything, then waits (briefly) for every recorded process to be gone; returns those that were not
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
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            _sampling.Dispose();
        }

        var survivors = await WaitForExitAsync(RecordedProcesses, TimeSpan.FromSeconds(5));
        foreach (var survivor in survivors)
        {
            try
            {
                using var process = Process.GetProcessById(survivor.Pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }

        return survivors;
    }

    public Resource Resource(string name) =>
        App.Resources.SingleOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No resource named '{name}'.", nameof(name));

    public IResourceRunner Node(string name) => Runner.Get(name) ?? throw new ArgumentException($"No runner for '{name}'.", nameof(name));

    /// <summary>The node's HTTP base URL (e.g. <c>http://127.0.0.1:41234/</c>).</summary>
    public Uri HttpUrl(string name) =>
        new((Resource(name).GetEndpoint("http") ?? throw new ArgumentException($"'{name}' has no http endpoint.", nameof(name))).Url + "/");

    /// <summary>The node's WebSocket URL (pull/push) (e.g. <c>ws://127.0.0.1:41234/</c>).</summary>
    public Uri WebSocketUrl(string name) => new("ws://" + HttpUrl(name).Authority + "/");

    /// <summary>A pull token for <paramref name="streamId"/> (the tester's stream by default) signed with the pull secret.</summary>
    public string PullToken(string? streamId = null) =>
        StreamTokenIssuer.Issue(PullSecret, StreamAccess.Pull, streamId ?? StreamId, TimeSpan.FromHours(1));

    /// <summary>A subscriber to the tester's stream on <paramref name="node"/> (no reconnects: a dropped connection shows).</summary>
    public StreamSubscriber Subscribe(string node, string? streamId = null) => new(new StreamSubscriberOptions
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

    /// <summary>The process id of a resource run as a child process (not the in-process registry).</summary>
    public int ProcessIdOf(string name) =>
        Node(name).Status.ProcessId is { } pid && pid != Environment.ProcessId
            ? pid
            : throw new InvalidOperationException($"'{name}' has no child process ({Node(name).Status.State}).");

    /// <summary>Every resource's state, message, pid and last log lines: what a failure message needs.</summary>
    public string Describe(int logLines = 8)
    {
        if (_app?.Runner is not { } runner)
        {
            return "(not started)";
        }

        var text = new StringBuilder();
        foreach (var r in runner.Runners)
        {
            var s = r.Status.Snapshot();
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"- {s.Name}: {s.State} pid={s.ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} restarts={s.Restarts} {s.Message}\n");
            var lines = r.Logs.Snapshot();
            foreach (var line in lines.Skip(Math.Max(0, lines.Count - logLines)))
            {
                text.Append("    ").Append(line.IsError ? "! " : "  ").Append(line.Text).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Adds the current child processes of every resource and their descendants to <see cref="RecordedProcesses"/>.</summary>
    public void RecordProcesses()
    {
        if (_app?.Runner is not { } runner)
        {
            return;
        }

        foreach (var status in runner.Runners.Select(r => r.Status))
        {
            if (status.ProcessId is not { } pid || pid == Environment.ProcessId)
            {
                continue;
            }

            foreach (var id in ProcessTree.Descendants(pid).Prepend(pid))
            {
                if (ProcessInfo.Identify(id) is { } process)
                {
                    lock (_gate)
                    {
                        _processes.TryAdd((process.Pid, process.StartTicks), process);
                    }
                }
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

    private string Parameter(string name) =>
        App.Resources.OfType<ParameterResource>().SingleOrDefault(p => p.Name == name)?.Value
        ?? throw new InvalidOperationException($"The model has no parameter '{name}'.");

    private async Task SampleProcessesAsync(CancellationToken cancellationToken)
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
