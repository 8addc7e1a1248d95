using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using HlsCdn.Hosting.Orchestration;
using HlsCdn.Processes;

namespace HlsCdn.Topology.Tests;

/// <summary>Nothing outlives the topology: not after an orderly stop, not after SIGTERM, not after SIGKILL of the AppHost.</summary>
public sealed partial class ShutdownTests
{
    [Fact]
    public async Task Tearing_the_topology_down_ends_every_process_it_ran_and_frees_its_ports()
    {
        var topology = new TopologyFixture();
        IReadOnlyList<ProcessId> recorded;
        List<int> ports;
        TimeSpan teardown;
        IReadOnlyList<ProcessId> survivors;
        try
        {
            await topology.InitializeAsync();
            topology.RecordProcesses();
            recorded = topology.RecordedProcesses;
            ports = topology.App.Resources.SelectMany(r => r.Endpoints).Where(e => e.AllocatedPort is not null).Select(e => e.Port)
                .Append(topology.DashboardUrl.Port).ToList();
        }
        finally
        {
            var clock = Stopwatch.StartNew();
            survivors = await topology.TearDownAsync();
            teardown = clock.Elapsed;
        }

        // The eight nodes and the tester are child processes (the registry runs inside the AppHost), plus the tester's ffmpeg.
        Assert.True(recorded.Count >= 10, "recorded: " + string.Join(", ", recorded));
        Assert.Contains(recorded, p => p.Name == "ffmpeg");
        Assert.Empty(survivors);
        Assert.DoesNotContain(recorded, ProcessInfo.IsAlive);
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start(); // throws if anything still listens there
            listener.Stop();
        }

        TestContext.Current.SendDiagnosticMessage($"teardown of {recorded.Count} processes took {teardown.TotalSeconds:0.0} s; {ports.Count} ports free again");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task The_AppHost_process_leaves_no_child_behind_when_it_gets(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        var output = new ConcurrentQueue<string>();
        using var launcher = new ChildProcessLauncher(); // ties the AppHost to this test host, should the test host die
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppHostProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { AppHostDll, "--Dashboard:Port=0", "--Orchestrator:StopTimeout=00:00:03" })
        {
            info.ArgumentList.Add(argument);
        }

        using var apphost = await launcher.StartAsync(info);
        apphost.OutputDataReceived += (_, e) => Collect(output, e.Data);
        apphost.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        apphost.BeginOutputReadLine();
        apphost.BeginErrorReadLine();
        var recorded = new Dictionary<(int, long), ProcessId>();
        var scratch = new List<string>();
        try
        {
            var dashboard = await WaitForDashboardAsync(output, apphost, TimeSpan.FromSeconds(30));
            using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            string states = string.Empty;
            var ready = await PublishNodeFailureTests.EventuallyAsync(async () =>
            {
                using var json = JsonDocument.Parse(await http.GetStringAsync("api/resources", ct));
                var resources = json.RootElement.EnumerateArray()
                    .Select(r => (Name: r.GetProperty("name").GetString()!, State: r.GetProperty("state").GetString()!)).ToList();
                states = string.Join(", ", resources.Select(r => $"{r.Name}={r.State}"));
                return resources.Count == TopologyFixture.ResourceNames.Count
                    && resources.All(r => r.State == (r.Name == "tester" ? "Running" : "Healthy"));
            }, TopologyFixture.ReadyTimeout);
            Assert.True(ready, $"not ready within {TopologyFixture.ReadyTimeout.TotalSeconds:0} s: {states}\n{Tail(output)}");
            var readyAfter = clock.Elapsed;

            // Give the tester a moment to start ffmpeg, then record the AppHost's whole process tree.
            Assert.True(await PublishNodeFailureTests.EventuallyAsync(() => Task.FromResult(Record(apphost.Id, recorded).Any(p => p.Name == "ffmpeg")), TimeSpan.FromSeconds(15)), Tail(output));
            Assert.True(recorded.Count >= 11, "the AppHost's processes: " + string.Join(", ", recorded.Values));
            var directChildren = recorded.Values.Where(p => ParentOf(p.Pid) == apphost.Id).ToHashSet();
            Assert.True(directChildren.Count >= 9, "the AppHost's children: " + string.Join(", ", directChildren));

            foreach (var ffmpeg in recorded.Values.Where(p => p.Name == "ffmpeg"))
            {
                scratch.AddRange(TesterDirectories(ffmpeg.Pid));
            }

            clock.Restart();
            Assert.True(Signal(apphost.Id, signal));
            await apphost.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
            var exitedAfter = clock.Elapsed;
            if (signal == "TERM")
            {
                Assert.True(apphost.ExitCode == 0, $"exit code {apphost.ExitCode}\n{Tail(output)}");
            }

            // The AppHost's own children: ended by the AppHost on SIGTERM, by the kernel (setpriv --pdeathsig KILL) on SIGKILL.
            var survivors = await TopologyFixture.WaitForExitAsync(recorded.Values, TimeSpan.FromSeconds(10));
            Assert.False(
                survivors.Any(directChildren.Contains),
                $"children alive after SIG{signal} of the AppHost: {string.Join(", ", survivors.Where(directChildren.Contains))}");
            // Grandchildren too: the tester starts ffmpeg tied to its own life (parent-death signal), so nothing survives.
            Assert.True(survivors.Count == 0, $"processes alive after SIG{signal} of the AppHost: {string.Join(", ", survivors)}");

            TestContext.Current.SendDiagnosticMessage(
                $"AppHost process: ready in {readyAfter.TotalSeconds:0.0} s, SIG{signal}: AppHost gone after {exitedAfter.TotalSeconds:0.0} s, all {recorded.Count - 1} descendants gone by {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            if (!apphost.HasExited)
            {
                apphost.Kill(entireProcessTree: true);
            }

            foreach (var process in recorded.Values.Where(ProcessInfo.IsAlive))
            {
                Signal(process.Pid, "KILL");
            }

            // A tester that is SIGKILLed cannot remove its ffmpeg's segment directory: this test removes it.
            await TopologyFixture.WaitForExitAsync(recorded.Values, TimeSpan.FromSeconds(5));
            foreach (var directory in scratch.Where(Directory.Exists))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static string AppHostProjectDirectory => Metadata("AppHostProjectDirectory");

    /// <summary>The AppHost as built: <c>HlsCdn.AppHost/bin/{configuration}/{tfm}/HlsCdn.AppHost.dll</c>.</summary>
    private static string AppHostDll
    {
        get
        {
            var tfm = Path.GetFileName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(AppHostProjectDirectory, "bin", Metadata("AppHostConfiguration"), tfm, "HlsCdn.AppHost.dll");
            Assert.True(File.Exists(path), $"the AppHost is not built at {path}");
            return path;
        }
    }

    private static string Metadata(string key) =>
        typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static List<ProcessId> Record(int root, Dictionary<(int, long), ProcessId> recorded)
    {
        foreach (var pid in ProcessTree.Descendants(root).Prepend(root))
        {
            if (ProcessInfo.Identify(pid) is { } process)
            {
                recorded.TryAdd((process.Pid, process.StartTicks), process);
            }
        }

        return [.. recorded.Values];
    }

    /// <summary>The tester's segment directories named on an ffmpeg's command line.</summary>
    private static List<string> TesterDirectories(int ffmpeg)
    {
        string[] arguments;
        try
        {
            arguments = File.ReadAllText($"/proc/{ffmpeg}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return [];
        }

        var prefix = Path.Combine(Path.GetTempPath(), "hlscdn-tester-");
        return arguments
            .Where(a => a.StartsWith(prefix, StringComparison.Ordinal))
            .Select(a => prefix + a[prefix.Length..].Split(Path.DirectorySeparatorChar)[0])
            .Distinct()
            .ToList();
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit(5000);
        return kill.ExitCode == 0;
    }

    private static async Task<Uri> WaitForDashboardAsync(ConcurrentQueue<string> output, Process apphost, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !apphost.HasExited)
        {
            foreach (var line in output)
            {
                if (DashboardLine().Match(line) is { Success: true } match)
                {
                    return new Uri(match.Groups[1].Value);
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The AppHost did not print its dashboard URL within {timeout.TotalSeconds:0} s (exited: {apphost.HasExited}).\n{Tail(output)}");
    }

    private static void Collect(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 400)
        {
            output.TryDequeue(out _);
        }
    }

    private static string Tail(ConcurrentQueue<string> output) => string.Join("\n", output.TakeLast(40));

    [GeneratedRegex(@"Dashboard: (http://\S+)")]
    private static partial Regex DashboardLine();
}
