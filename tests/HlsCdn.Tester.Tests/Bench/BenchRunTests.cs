using HlsCdn.Tester.Bench;

namespace HlsCdn.Tester.Tests.Bench;

/// <summary>The bench against a real in-process node and against a scripted node that damages fragments.</summary>
public sealed class BenchRunTests
{
    private static readonly ProgressLine Quiet = new(TextWriter.Null, inPlace: false);

    [Fact]
    public async Task Fanout_through_a_real_node_delivers_every_fragment_exactly_to_every_spectator()
    {
        await using var node = await InProcessNode.StartAsync(null, null, null, TestContext.Current.CancellationToken);
        var settings = Fanout(node.Url, spectators: 5, fragments: 10) with { Stalled = 1, ServerPids = [Environment.ProcessId] };

        var result = await FanoutRunner.RunAsync(settings, Quiet, TestContext.Current.CancellationToken);

        Assert.Null(result.PublisherFailure);
        Assert.Equal(50, result.Delivery.Expected);
        Assert.Equal(50, result.Delivery.Delivered);
        Assert.Equal(0, result.Delivery.Lost);
        Assert.Equal(0, result.Delivery.Corrupt);
        Assert.Equal(5, result.Delivery.SpectatorsClosed);
        Assert.True(result.Delivery.IsClean);
        Assert.Equal(50, result.Latency.Count);
        Assert.True(result.Latency.P50 <= result.Latency.P99 && result.Latency.P99 <= result.Latency.Max);
        var server = Assert.Single(result.Servers);
        Assert.Equal(Environment.ProcessId, server.Pid);
        Assert.True(server.RssStartBytes > 0 && server.RssPeakBytes >= server.RssStartBytes);
        Assert.True(server.UserCpuSeconds >= 0 && server.SystemCpuSeconds >= 0);
    }

    [Fact]
    public async Task Fanout_detects_loss_corruption_duplicates_truncation_and_reordering_per_spectator()
    {
        // Spectator 0 gets everything; 1 loses fragment 2; 2 gets fragment 3 corrupted and 4 twice; 3 gets 1 after 2; 4 gets 5 one byte short.
        await using var node = await ScriptedNode.StartAsync((fragment, spectator) => (fragment, spectator) switch
        {
            (2, 1) => Fault.Drop,
            (3, 2) => Fault.Corrupt,
            (4, 2) => Fault.Duplicate,
            (1, 3) => Fault.HoldForNext,
            (5, 4) => Fault.Truncate,
            _ => Fault.None,
        });

        var result = await FanoutRunner.RunAsync(Fanout(node.Url, spectators: 5, fragments: 8), Quiet, TestContext.Current.CancellationToken);

        var d = result.Delivery;
        Assert.Equal(40, d.Expected);
        Assert.Equal(1, d.Lost);
        Assert.Equal(2, d.Corrupt);
        Assert.Equal(1, d.Duplicates);
        Assert.Equal(1, d.OutOfOrder);
        Assert.Equal(40 - 1 - 2, d.Delivered);
        Assert.Equal(1, d.SpectatorsWithLoss);
        Assert.Equal(5, d.SpectatorsClosed);
        Assert.False(d.IsClean);
    }

    [Fact]
    public async Task Fanout_through_an_honest_scripted_node_is_clean()
    {
        await using var node = await ScriptedNode.StartAsync((_, _) => Fault.None);

        var result = await FanoutRunner.RunAsync(Fanout(node.Url, spectators: 3, fragments: 5), Quiet, TestContext.Current.CancellationToken);

        Assert.True(result.Delivery.IsClean);
        Assert.Equal(15, result.Delivery.Delivered);
    }

    [Fact]
    public async Task Join_measures_every_joiner_up_to_its_first_exact_fragment()
    {
        await using var node = await InProcessNode.StartAsync("push", "pull", null, TestContext.Current.CancellationToken);
        var settings = new JoinSettings(
            new BenchTarget(node.Url, "push", "pull"), null, "bench/join", 4, 2_000, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(10), 1, [], TimeSpan.FromMilliseconds(100));

        var result = await JoinRunner.RunAsync(settings, Quiet, TestContext.Current.CancellationToken);

        Assert.True(result.IsClean, string.Join("; ", result.Failures));
        Assert.Equal(4, result.Joined);
        Assert.Equal(4, result.ConnectToFirstFragment.Count);
        Assert.True(result.ConnectToOk.P50 <= result.ConnectToFirstFragment.Max);

        // Each joiner's 101 comes before its OK, so every quantile of the one is at most the same quantile of the other.
        Assert.Equal(4, result.ConnectToUpgrade.Count);
        Assert.True(result.ConnectToUpgrade.P50 > 0);
        Assert.True(result.ConnectToUpgrade.P50 <= result.ConnectToOk.P50);
        Assert.True(result.ConnectToUpgrade.Max <= result.ConnectToOk.Max);
    }

    [Fact]
    public async Task Conns_opens_holds_and_closes_idle_spectators_and_reads_the_server_rss()
    {
        await using var node = await InProcessNode.StartAsync(null, null, null, TestContext.Current.CancellationToken);
        var settings = new ConnsSettings(new BenchTarget(node.Url, null, null), null, "bench/idle", 20, TimeSpan.Zero, TimeSpan.Zero, [Environment.ProcessId]);

        var result = await ConnsRunner.RunAsync(settings, Quiet, TestContext.Current.CancellationToken);

        Assert.Equal(20, result.Opened);
        Assert.True(result.RssBeforeBytes > 0 && result.RssConnectedBytes > 0 && result.RssAfterCloseBytes > 0);
        Assert.Single(result.Servers);
    }

    private static FanoutSettings Fanout(Uri url, int spectators, int fragments) => new(
        new BenchTarget(url, null, null),
        null,
        "bench/test",
        spectators,
        0,
        3_000,
        TimeSpan.FromMilliseconds(20),
        TimeSpan.FromMilliseconds(20 * fragments),
        [],
        TimeSpan.FromMilliseconds(100),
        TimeSpan.FromSeconds(20));
}
