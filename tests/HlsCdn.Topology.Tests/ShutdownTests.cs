using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.Testing;
using HlsCdn.Processes;

namespace HlsCdn.Topology.Tests;

/// <summary>Nothing outlives the topology: not after an orderly stop, not after SIGTERM, not after SIGKILL of the AppHost.</summary>
public sealed class ShutdownTests
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
            ports = TopologyFixture.ResourceNames.Where(n => n is not "registry" and not "tester")
                .Select(n => topology.App.GetEndpoint(n, "http").Port).ToList();
        }
        finally
        {
            var clock = Stopwatch.StartNew();
            survivors = await topology.TearDownAsync();
            teardown = clock.Elapsed;
        }

        // DCP, the registry, the eight nodes and the tester (each under its dotnet run), plus the tester's ffmpeg.
        Assert.True(recorded.Count(p => p.Name.StartsWith("HlsCdn.", StringComparison.Ordinal)) >= 10, "recorded: " + string.Join(", ", recorded));
        Assert.Contains(recorded, p => p.Name == "dcp");
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
        info.ArgumentList.Add(AppHostDll);
        // What the http launch profile gives `dotnet run`, on free ports.
        info.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";

        using var apphost = await launcher.StartAsync(info);
        apphost.OutputDataReceived += (_, e) => Collect(output, e.Data);
        apphost.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        apphost.BeginOutputReadLine();
        apphost.BeginErrorReadLine();
        var recorded = new Dictionary<(int, long), ProcessId>();
        var scratch = new List<string>();
        try
        {
            // Ready: every resource's program runs and the tester (which waits for the publish nodes' health) has started ffmpeg.
            var clock = Stopwatch.StartNew();
            var ready = await NodeFailureTests.EventuallyAsync(() =>
            {
                var processes = Record(apphost.Id, recorded).Where(ProcessInfo.IsAlive).ToList();
                return Task.FromResult(
                    processes.Count(p => p.Name.StartsWith("HlsCdn.", StringComparison.Ordinal) && p.Name != "HlsCdn.AppHost") >= TopologyFixture.ResourceNames.Count
                    && processes.Any(p => p.Name == "ffmpeg"));
            }, TopologyFixture.ReadyTimeout);
            Assert.True(ready, $"not ready within {TopologyFixture.ReadyTimeout.TotalSeconds:0} s: {string.Join(", ", recorded.Values)}\n{Tail(output)}");
            var readyAfter = clock.Elapsed;
            Assert.Contains(recorded.Values, p => p.Name == "dcp");
            Assert.Contains(recorded.Values, p => p.Name.StartsWith("Aspire.Dashboa", StringComparison.Ordinal));

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

            // DCP stops every resource when the AppHost stops, and also when it watches the AppHost die (SIGKILL); the
            // tester's ffmpeg is tied to the tester's life (parent-death signal). Nothing survives, within 20 s.
            // DCP itself exits once it has cleaned up (after SIGKILL it first has to notice the AppHost is gone).
            Record(apphost.Id, recorded);
            var survivors = await TopologyFixture.WaitForExitAsync(recorded.Values.Where(p => p.Name != "dcp"), TimeSpan.FromSeconds(20));
            Assert.True(survivors.Count == 0, $"processes alive 20 s after SIG{signal} of the AppHost: {string.Join(", ", survivors)}");
            var resourcesGoneAfter = clock.Elapsed;
            var dcp = await TopologyFixture.WaitForExitAsync(recorded.Values, TimeSpan.FromSeconds(90));
            Assert.True(dcp.Count == 0, $"DCP alive 90 s after SIG{signal} of the AppHost: {string.Join(", ", dcp)}");

            TestContext.Current.SendDiagnosticMessage(
                $"AppHost process: ready in {readyAfter.TotalSeconds:0.0} s, SIG{signal}: AppHost gone after {exitedAfter.TotalSeconds:0.0} s, every resource's process gone by {resourcesGoneAfter.TotalSeconds:0.0} s, DCP by {clock.Elapsed.TotalSeconds:0.0} s ({recorded.Count} processes)");
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

    /// <summary>The AppHost's project directory (Aspire's metadata names the directory, or the project file).</summary>
    private static string AppHostProjectDirectory =>
        Directory.Exists(Projects.HlsCdn_AppHost.ProjectPath) ? Projects.HlsCdn_AppHost.ProjectPath : Path.GetDirectoryName(Projects.HlsCdn_AppHost.ProjectPath)!;

    /// <summary>The AppHost as built alongside these tests: <c>HlsCdn.AppHost/bin/{configuration}/{tfm}/HlsCdn.AppHost.dll</c>.</summary>
    private static string AppHostDll
    {
        get
        {
            var tfmDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var tfm = Path.GetFileName(tfmDirectory);
            var configuration = Path.GetFileName(Path.GetDirectoryName(tfmDirectory))!;
            var path = Path.Combine(AppHostProjectDirectory, "bin", configuration, tfm, "HlsCdn.AppHost.dll");
            Assert.True(File.Exists(path), $"the AppHost is not built at {path}");
            return path;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Records the AppHost, DCP (which runs detached, monitoring the AppHost) and all their descendants.</summary>
    private static List<ProcessId> Record(int root, Dictionary<(int, long), ProcessId> recorded)
    {
        foreach (var top in TopologyFixture.DcpProcesses(root).Prepend(root))
        {
            foreach (var pid in ProcessTree.Descendants(top).Prepend(top))
            {
                if (ProcessInfo.Identify(pid) is { } process)
                {
                    // Overwritten, not added once: a child sampled between fork and exec still carries its parent's name
                    // (e.g. "dotnet" for what becomes HlsCdn.PublishN); its pid and start time stay the same across exec.
                    recorded[(process.Pid, process.StartTicks)] = process;
                }
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

    private static bool Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit(5000);
        return kill.ExitCode == 0;
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
}
