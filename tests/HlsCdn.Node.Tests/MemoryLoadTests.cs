using System.Diagnostics;
using HlsCdn.Node.Streams;

namespace HlsCdn.Node.Tests;

[Collection(nameof(Isolated))]
public sealed class MemoryLoadTests
{
    [Fact]
    public async Task Twenty_streams_of_1_MiB_fragments_over_an_8_MiB_budget_degrade_buffering_not_delivery()
    {
        const int Streams = 20, Fragments = 6, Size = 1024 * 1024, LimitMB = 8;
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:BufferMemoryLimiterEnabled", "true"),
            ("Node:BufferMemoryLimitMB", LimitMB.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Node:FragmentBufferMaxLength", "10"),
            ("Node:MaxBinaryMessageSize", (2 * Size).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var budget = node.Get<BufferMemoryBudget>();
        GC.Collect();
        var before = (Managed: GC.GetTotalMemory(true), WorkingSet: Environment.WorkingSet);

        // Watch the budget all along, not just between steps.
        using var stop = new CancellationTokenSource();
        var peak = 0L;
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, budget.UsedBytes);
                await Task.Delay(1, CancellationToken.None);
            }
        }, TestContext.Current.CancellationToken);

        var ids = Enumerable.Range(0, Streams).Select(_ => TestData.StreamId()).ToArray();
        var publishers = await Task.WhenAll(ids.Select(id => RawPeer.PushAsync(node.WebSocketUrl, id)));
        var spectators = await Task.WhenAll(ids.Select(id => RawPeer.PullAsync(node.WebSocketUrl, id)));
        var stopwatch = Stopwatch.StartNew();
        var delivered = await Task.WhenAll(Enumerable.Range(0, Streams).Select(async s =>
        {
            var intact = 0;
            for (var i = 0; i < Fragments; i++)
            {
                var data = TestData.Fragment((s * 100) + i, Size);
                await publishers[s].SendFragmentAsync(data);
                if ((await spectators[s].ReceiveFragmentAsync(TimeSpan.FromSeconds(30))).Data.AsSpan().SequenceEqual(data))
                {
                    intact++;
                }
            }

            return intact;
        }));
        stopwatch.Stop();
        var stats = node.Get<StreamDirectory>().Streams.Select(s => s.GetStats()).ToList();
        var usedAtEnd = budget.UsedBytes;
        foreach (var peer in publishers.Concat(spectators))
        {
            await peer.DisposeAsync();
        }

        await stop.CancelAsync();
        await watcher;
        GC.Collect();
        var after = (Managed: GC.GetTotalMemory(true), WorkingSet: Environment.WorkingSet);
        var report = $"Memory limiter under load: {Streams} streams x {Fragments} fragments of {Size / 1024} KiB through an {LimitMB} MiB buffer budget in {stopwatch.Elapsed.TotalSeconds:F1} s; "
            + $"budget peak {peak / 1024} KiB, at end {usedAtEnd / 1024} KiB; buffered fragments {stats.Sum(s => s.BufferedFragments)} (of up to {Streams * 10} without the limiter); evictions {stats.Sum(s => s.BufferEvictions)}; "
            + $"managed {before.Managed / (1024 * 1024)} -> {after.Managed / (1024 * 1024)} MiB, working set {before.WorkingSet / (1024 * 1024)} -> {after.WorkingSet / (1024 * 1024)} MiB.";
        TestContext.Current.SendDiagnosticMessage(report);
        TestContext.Current.TestOutputHelper?.WriteLine(report);

        Assert.All(delivered, n => Assert.Equal(Fragments, n));
        Assert.True(peak <= budget.LimitBytes, $"the buffers held {peak} bytes, over the {budget.LimitBytes} budget");
        Assert.True(stats.Sum(s => s.BufferedFragments) <= LimitMB, "at most 8 fragments of 1 MiB fit in 8 MiB");
        Assert.True(stats.Sum(s => s.BufferEvictions) > 0, "the limiter evicted buffered fragments");
        for (var i = 0; i < 100 && budget.UsedBytes > 0; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, budget.UsedBytes);
    }
}
