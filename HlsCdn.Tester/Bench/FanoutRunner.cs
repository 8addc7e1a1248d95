using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// Runs <c>bench fanout</c>: connects the publisher, then every spectator (and the stalled ones), waits for the
/// stream to settle (relays to open), publishes on schedule, sends <c>CLOSE</c>, waits (bounded) for every spectator
/// to see it, and reports delivery, latency and the server processes' cost over the publishing phase.
/// </summary>
public static class FanoutRunner
{
    /// <summary>Runs and reports; throws <see cref="BenchException"/> when the run cannot start.</summary>
    public static async Task<FanoutResult> RunAsync(FanoutSettings settings, ProgressLine progress, CancellationToken cancellationToken)
    {
        var payload = new FragmentPayload(settings.FragmentBytes);
        var fragments = settings.Fragments;
        var pullUrl = settings.PullUrl ?? settings.Target.Url;
        var receiveBuffer = Math.Min(settings.FragmentBytes + 64, 64 * 1024);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(settings.Duration * 2 + settings.Drain + settings.Settle + TimeSpan.FromMinutes(5));
        var harness = Process.GetCurrentProcess();
        var harnessCpuStart = harness.TotalProcessorTime;
        var harnessAllocatedStart = GC.GetTotalAllocatedBytes();
        var wall = Stopwatch.StartNew();

        await using var sampler = new ProcessSampler(settings.ServerPids, settings.SamplePeriod);
        var sockets = new WebSocket?[settings.Spectators + settings.Stalled];
        ClientWebSocket? publisherSocket = null;
        try
        {
            publisherSocket = await BenchSocket.ConnectAsync(settings.Target.Url, settings.Target.Push(settings.StreamId), 4096, run.Token).ConfigureAwait(false);
            var pull = settings.Target.Pull(settings.StreamId, 0);
            var connected = 0;
            var connecting = Parallel.ForEachAsync(
                Enumerable.Range(0, sockets.Length),
                new ParallelOptions { MaxDegreeOfParallelism = BenchLimits.ConnectParallelism, CancellationToken = run.Token },
                async (i, token) =>
                {
                    sockets[i] = await BenchSocket.ConnectAsync(pullUrl, pull, i < settings.Spectators ? receiveBuffer : 256, token).ConfigureAwait(false);
                    Interlocked.Increment(ref connected);
                });
            await progress.RunAsync(connecting, () => $"connecting spectators: {Volatile.Read(ref connected)}/{sockets.Length}", TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await connecting.ConfigureAwait(false);

            var tallies = new SpectatorTally[settings.Spectators];
            var receivers = new Task[settings.Spectators];
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
            for (var i = 0; i < settings.Spectators; i++)
            {
                var spectator = new SpectatorConnection(sockets[i]!, payload, tallies[i] = new SpectatorTally(fragments), receiveBuffer);
                receivers[i] = Task.Run(() => spectator.RunAsync(int.MaxValue, drain.Token), CancellationToken.None);
            }

            await Task.Delay(settings.Settle, run.Token).ConfigureAwait(false);
            sampler.MarkCpuStart();
            var publishStart = Stopwatch.GetTimestamp();
            var publisher = new FragmentPublisher(publisherSocket, payload, settings.Interval);
            var publishing = publisher.RunAsync(fragments, null, run.Token);
            await progress.RunAsync(publishing, () => Status(publisher, fragments, tallies, sampler, publishStart), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            string? publisherFailure = null;
            try
            {
                await publishing.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                publisherFailure = "publisher send failed: " + ex.Message;
            }

            publisherFailure ??= publisher.Failure;
            var all = Task.WhenAll(receivers);
            var drained = all.WaitAsync(settings.Drain, run.Token);
            try
            {
                await progress.RunAsync(drained, () => "waiting for CLOSE: " + Status(publisher, fragments, tallies, sampler, publishStart), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                await drained.ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await drain.CancelAsync().ConfigureAwait(false);
                await all.ConfigureAwait(false);
            }

            var servers = await sampler.StopAsync().ConfigureAwait(false);
            progress.Done();
            var latencies = new float[tallies.Sum(t => t.Delivered)];
            var at = 0;
            foreach (var t in tallies)
            {
                t.Latencies.CopyTo(latencies.AsSpan(at));
                at += t.Latencies.Length;
            }

            var workload = new FanoutWorkload(
                settings.Target.Url.ToString(),
                pullUrl.ToString(),
                settings.StreamId,
                settings.Spectators,
                settings.Stalled,
                settings.FragmentBytes,
                settings.Interval.TotalMilliseconds,
                settings.Duration.TotalSeconds,
                fragments,
                (double)settings.FragmentBytes * settings.Spectators / settings.Interval.TotalSeconds / 1e6);
            return new FanoutResult(
                workload,
                DeliveryCheck.From(tallies, publisher.Sent),
                LatencySummary.From(latencies),
                servers,
                servers.Count > 1 ? ServerUsage.Sum(servers) : null,
                (harness.TotalProcessorTime - harnessCpuStart).TotalSeconds,
                GC.GetTotalAllocatedBytes() - harnessAllocatedStart,
                wall.Elapsed.TotalSeconds,
                publisher.MaxLagMilliseconds,
                publisherFailure ?? (publisher.Sent < fragments ? $"published only {publisher.Sent} of {fragments} fragments" : null));
        }
        finally
        {
            progress.Done();
            await Task.WhenAll(sockets.Where(s => s is not null).Select(s => BenchSocket.CloseQuietlyAsync(s!))).ConfigureAwait(false);
            if (publisherSocket is not null)
            {
                await BenchSocket.CloseQuietlyAsync(publisherSocket).ConfigureAwait(false);
            }
        }
    }

    private static string Status(FragmentPublisher publisher, int fragments, SpectatorTally[] tallies, ProcessSampler sampler, long publishStart)
    {
        long delivered = 0, distinct = 0;
        foreach (var t in tallies)
        {
            delivered += t.Delivered;
            distinct += t.Distinct;
        }

        var sent = publisher.Sent;
        var line = string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(publishStart).TotalSeconds,5:F1} s  published {sent}/{fragments}  delivered {delivered}/{(long)sent * tallies.Length}");
        if (sampler.Enabled)
        {
            var (cpu, rss) = sampler.Current();
            line += string.Create(CultureInfo.InvariantCulture, $"  server CPU {cpu:F1} s  RSS {rss / 1e6:F0} MB");
        }

        return line;
    }
}
