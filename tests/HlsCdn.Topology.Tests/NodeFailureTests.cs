using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HlsCdn.Topology.Tests;

/// <summary>
/// Killing nodes (SIGKILL: no CLOSE, no goodbye to the registry) on one topology shared by both tests. Each test kills
/// a different node and watches edges the other leaves alone, so they pass in either order.
/// </summary>
public sealed class NodeFailureTests(TopologyFixture topology) : IClassFixture<TopologyFixture>
{
    [Fact]
    public async Task Killing_the_publish_node_in_use_fails_the_tester_over_and_edge_spectators_keep_receiving()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        await using var eu = Spectator.Watch(topology, "edge-eu-2", clock);
        await using var us = Spectator.Watch(topology, "edge-us-2", clock);
        Assert.True(await eu.WaitForCountAsync(2, TimeSpan.FromSeconds(30)), eu.Summary());
        Assert.True(await us.WaitForCountAsync(2, TimeSpan.FromSeconds(30)), us.Summary());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var active = await PublishingNodesAsync(http, ct);
        Assert.Single(active);
        var victim = active[0];
        var survivor = victim == "publish-1" ? "publish-2" : "publish-1";

        using (var process = Process.GetProcessById(topology.ProcessIdOf(victim)))
        {
            process.Kill();
        }

        var killedAt = clock.Elapsed;
        var killedAtUtc = DateTime.UtcNow;
        var moved = await EventuallyAsync(async () => (await PublishingNodesAsync(http, ct)).SequenceEqual([survivor]), TimeSpan.FromSeconds(30));
        var movedAfter = clock.Elapsed - killedAt;
        Assert.True(moved, $"the tester did not move to {survivor} within 30 s of {victim}'s kill at {killedAtUtc:HH:mm:ss.fff}Z\n{topology.Describe()}");

        // Both spectators get live fragments again, over the connection they had before the kill.
        foreach (var spectator in new[] { eu, us })
        {
            var recovered = await EventuallyAsync(() => Task.FromResult(spectator.CountSince(killedAt) >= 3 || spectator.Ended), TimeSpan.FromSeconds(30));
            Assert.True(recovered && !spectator.Ended, $"{spectator.Summary()}\n{topology.Describe()}");
            Assert.Null(spectator.Error);
            Assert.Equal(0, spectator.Reconnects);
            TestContext.Current.SendDiagnosticMessage(
                $"{victim} killed: tester on {survivor} after {movedAfter.TotalSeconds:0.0} s; {spectator.Node} gap {spectator.GapAround(killedAt).TotalSeconds:0.00} s ({spectator.Summary()})");
        }

        // Aspire saw the node die (its dotnet run exited); the tester kept running, and says it moved (its console log).
        Assert.True(await EventuallyAsync(() => Task.FromResult(IsDown(victim)), TimeSpan.FromSeconds(15)), $"{victim} is {topology.StateOf(victim)}");
        Assert.Equal(KnownResourceStates.Running, topology.StateOf("tester").State);
        var testerLog = topology.LogTail("tester", 50);
        Assert.Contains(testerLog, line => line.Contains("reconnecting", StringComparison.Ordinal));
        TestContext.Current.SendDiagnosticMessage("tester: " + string.Join(" | ", testerLog.Where(l => l.Contains("connect", StringComparison.Ordinal)).TakeLast(3).Select(l => l.Trim())));
    }

    [Fact]
    public async Task Killing_an_edge_leaves_its_gateway_and_the_other_edges_unaffected()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        await using var doomed = Spectator.Watch(topology, "edge-eu-1", clock);
        await using var sibling = Spectator.Watch(topology, "edge-eu-2", clock);
        await using var other = Spectator.Watch(topology, "edge-us-1", clock);
        foreach (var spectator in new[] { doomed, sibling, other })
        {
            Assert.True(await spectator.WaitForCountAsync(2, TimeSpan.FromSeconds(30)), spectator.Summary());
        }

        using (var process = Process.GetProcessById(topology.ProcessIdOf("edge-eu-1")))
        {
            process.Kill();
        }

        var killedAt = clock.Elapsed;

        // The spectator on the killed edge loses its connection (it does not reconnect): the kill was real.
        Assert.True(await EventuallyAsync(() => Task.FromResult(doomed.Ended), TimeSpan.FromSeconds(10)), doomed.Summary());

        // The others see a steady stream: 4 more fragments each, no gap beyond what ~1 s segments give.
        foreach (var spectator in new[] { sibling, other })
        {
            var going = await EventuallyAsync(() => Task.FromResult(spectator.CountSince(killedAt) >= 4 || spectator.Ended), TimeSpan.FromSeconds(15));
            Assert.True(going && !spectator.Ended, $"{spectator.Summary()}\n{topology.Describe()}");
            Assert.Null(spectator.Error);
            Assert.Equal(0, spectator.Reconnects);
            var gap = spectator.GapAround(killedAt);
            Assert.True(gap < TimeSpan.FromSeconds(3), $"{spectator.Node} went {gap.TotalSeconds:0.00} s without a fragment around the kill");
            TestContext.Current.SendDiagnosticMessage($"edge-eu-1 killed: {spectator.Summary()}");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(topology.HttpUrl("gateway-eu"), "health"), ct)).StatusCode);
        Assert.True(await EventuallyAsync(() => Task.FromResult(IsDown("edge-eu-1")), TimeSpan.FromSeconds(15)), $"edge-eu-1 is {topology.StateOf("edge-eu-1")}");

        // Everything else is as healthy as before (a publish node the other test killed excepted).
        foreach (var name in TopologyFixture.ResourceNames.Where(n => n is not "edge-eu-1" and not "tester" && !IsDown(n)))
        {
            Assert.True(topology.StateOf(name).Health == HealthStatus.Healthy, $"{name} is {topology.StateOf(name)}\n{topology.Describe()}");
        }
    }

    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    private bool IsDown(string name) => topology.StateOf(name).State is { } state && KnownResourceStates.TerminalStates.Contains(state);

    /// <summary>The publish nodes whose <c>/api/streams</c> show the tester's stream with a local source (the tester pushes there).</summary>
    private async Task<IReadOnlyList<string>> PublishingNodesAsync(HttpClient http, CancellationToken ct)
    {
        var nodes = new List<string>();
        foreach (var name in new[] { "publish-1", "publish-2" })
        {
            try
            {
                using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(topology.HttpUrl(name), "api/streams"), ct));
                if (json.RootElement.EnumerateArray().Any(s =>
                    s.GetProperty("streamId").GetString() == topology.StreamId && s.GetProperty("source").GetString() == "local"))
                {
                    nodes.Add(name);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // A dead node publishes nothing.
            }
        }

        return nodes;
    }
}
