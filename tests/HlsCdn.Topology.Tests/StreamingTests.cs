using System.Diagnostics;
using System.Globalization;

namespace HlsCdn.Topology.Tests;

/// <summary>The tester's live stream through the whole default topology, on one topology shared by the class.</summary>
[Collection(LiveTopology.Name)]
public sealed class StreamingTests(TopologyFixture topology)
{
    private static readonly TimeSpan ProbeAge = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("edge-eu-1")]
    [InlineData("edge-us-1")]
    public async Task The_tester_stream_plays_from_an_edge_in_each_region(string edge)
    {
        var clock = Stopwatch.StartNew();
        await using var spectator = Spectator.Watch(topology, edge, clock);
        Assert.True(
            await spectator.WaitForCountAsync(4, TimeSpan.FromSeconds(30)),
            $"{spectator.Summary()}\n{topology.Describe()}");

        foreach (var fragment in spectator.Arrivals)
        {
            Assert.Equal(0x47, fragment.FirstByte); // MPEG-TS sync byte
            Assert.True(fragment.Length % 188 == 0, $"fragment of {fragment.Length} bytes is not whole 188-byte TS packets");
            Assert.InRange(fragment.Duration.TotalSeconds, 0.5, 2.5);
        }

        Assert.Null(spectator.Error);
        TestContext.Current.SendDiagnosticMessage(
            $"{edge}: {spectator.Count} fragments, durations {string.Join(", ", spectator.Arrivals.Select(a => a.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))} s");
    }

    [Fact]
    public async Task Start_up_time_and_the_cluster_resource_use_are_measured()
    {
        var ct = TestContext.Current.CancellationToken;
        topology.RecordProcesses();
        var processes = topology.RecordedProcesses.Where(ProcessInfo.IsAlive).ToList();
        var ages = processes.ToDictionary(p => p, ProcessInfo.Age);
        Assert.NotEmpty(processes);

        // Steady state: the stream flowing with a spectator on one edge per region.
        var clock = Stopwatch.StartNew();
        await using var eu = Spectator.Watch(topology, "edge-eu-1", clock);
        await using var us = Spectator.Watch(topology, "edge-us-1", clock);
        Assert.True(await eu.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), eu.Summary());
        Assert.True(await us.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), us.Summary());

        var window = TimeSpan.FromSeconds(10);
        var cpuBefore = processes.ToDictionary(p => p, p => ProcessInfo.CpuTicks(p) ?? 0);
        var hostCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var measured = Stopwatch.StartNew();
        await Task.Delay(window, ct);
        var elapsed = measured.Elapsed;
        var hostCpu = Process.GetCurrentProcess().TotalProcessorTime - hostCpuBefore;
        var alive = processes.Where(ProcessInfo.IsAlive).ToList();
        var cpuSeconds = alive.Sum(p => (ProcessInfo.CpuTicks(p) ?? 0) - cpuBefore[p]) / ProcessInfo.TicksPerSecond;
        var rss = alive.ToDictionary(p => p, p => ProcessInfo.RssKiB(p) ?? 0);
        var pss = alive.ToDictionary(p => p, p => ProcessInfo.PssKiB(p) ?? 0);
        var totalMiB = rss.Values.Sum() / 1024.0;
        var totalPssMiB = pss.Values.Sum() / 1024.0;

        var perName = string.Join(", ", pss.GroupBy(p => p.Key.Name).Select(g => (g.Key, Count: g.Count(), KiB: g.Sum(p => p.Value)))
            .OrderByDescending(g => g.KiB).Select(g => $"{g.Key}×{g.Count}={g.KiB / 1024.0:0}MiB"));
        TestContext.Current.SendDiagnosticMessage(
            $"start-up: StartAsync -> all healthy {topology.StartToReady.TotalSeconds:0.0} s, -> first fragment at edge-eu-1 {topology.StartToFirstFragment.TotalSeconds:0.0} s");
        TestContext.Current.SendDiagnosticMessage(
            $"cluster (DCP and every resource's processes; no dashboard under the testing builder): {alive.Count} processes, PSS {totalPssMiB:0} MiB, RSS {totalMiB:0} MiB; " +
            $"CPU {cpuSeconds:0.00} s over {elapsed.TotalSeconds:0.0} s = {100 * cpuSeconds / elapsed.TotalSeconds:0}% of one core (test host incl. 2 spectators: {hostCpu.TotalSeconds:0.00} s)");
        TestContext.Current.SendDiagnosticMessage("PSS by process name: " + perName);

        // Nothing of the cluster exited in the window. Helpers younger than ProbeAge may have: DCP probes for a
        // container runtime every few seconds when a docker CLI is installed (`docker --version`, `docker network ls`,
        // ~50 ms each), and the recording can catch one.
        var exited = processes.Except(alive).ToList();
        Assert.True(
            exited.All(p => ages[p] < ProbeAge),
            $"exited during the window: {string.Join(", ", exited.Select(p => $"{p} ({ages[p].TotalSeconds:0.0} s old at the start)"))}");
        Assert.True(topology.StartToFirstFragment > topology.StartToReady);
        Assert.True(totalPssMiB > 0 && totalPssMiB <= totalMiB);

        // Every resource, the registry included, is a separate process of its own program (under its dotnet run).
        var services = TopologyFixture.ResourceNames.Select(topology.ProcessIdOf).ToList();
        Assert.Equal(services.Count, services.Distinct().Count());
        Assert.All(services, pid => Assert.Contains(alive, p => p.Pid == pid && p.Name.StartsWith("HlsCdn.", StringComparison.Ordinal)));
        Assert.Contains(alive, p => p.Name == "dcp");
    }
}
