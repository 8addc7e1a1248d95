using System.Diagnostics;
using System.Net.WebSockets;

namespace HlsCdn.Tester.Bench;

/// <summary>Runs <c>bench conns</c>: opens idle spectator connections, measures the servers' RSS with them and after they close.</summary>
public static class ConnsRunner
{
    /// <summary>Runs and reports; throws <see cref="BenchException"/> when a connection is refused.</summary>
    public static async Task<ConnsResult> RunAsync(ConnsSettings settings, ProgressLine progress, CancellationToken cancellationToken)
    {
        var pullUrl = settings.PullUrl ?? settings.Target.Url;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(settings.Hold + settings.Settle + TimeSpan.FromMinutes(5));
        var harness = Process.GetCurrentProcess();
        var harnessCpuStart = harness.TotalProcessorTime;
        var wall = Stopwatch.StartNew();

        await using var sampler = new ProcessSampler(settings.ServerPids, settings.SamplePeriod);
        var sockets = new WebSocket?[settings.Connections];
        using var publisher = await BenchSocket.ConnectAsync(settings.Target.Url, settings.Target.Push(settings.StreamId), 4096, run.Token).ConfigureAwait(false);
        try
        {
            var before = sampler.SampleRssNow();
            var pull = settings.Target.Pull(settings.StreamId, 0);
            var opened = 0;
            var connecting = Parallel.ForEachAsync(
                Enumerable.Range(0, sockets.Length),
                new ParallelOptions { MaxDegreeOfParallelism = BenchLimits.ConnectParallelism, CancellationToken = run.Token },
                async (i, token) =>
                {
                    sockets[i] = await BenchSocket.ConnectAsync(pullUrl, pull, 256, token).ConfigureAwait(false);
                    Interlocked.Increment(ref opened);
                });
            await progress.RunAsync(connecting, () => $"connecting: {Volatile.Read(ref opened)}/{sockets.Length}", TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await connecting.ConfigureAwait(false);
            progress.Show($"holding {opened} idle connections for {settings.Hold.TotalSeconds:F0} s");
            await Task.Delay(settings.Hold, run.Token).ConfigureAwait(false);
            var connected = sampler.SampleRssNow();

            progress.Show("closing");
            await Task.WhenAll(sockets.Select(s => BenchSocket.CloseQuietlyAsync(s!))).ConfigureAwait(false);
            Array.Clear(sockets);
            progress.Show($"closed; letting the servers settle for {settings.Settle.TotalSeconds:F0} s");
            await Task.Delay(settings.Settle, run.Token).ConfigureAwait(false);
            var after = sampler.SampleRssNow();
            var servers = await sampler.StopAsync().ConfigureAwait(false);
            progress.Done();
            return new ConnsResult(
                pullUrl.ToString(),
                settings.Connections,
                opened,
                before,
                connected,
                after,
                servers,
                (harness.TotalProcessorTime - harnessCpuStart).TotalSeconds,
                wall.Elapsed.TotalSeconds);
        }
        finally
        {
            progress.Done();
            await Task.WhenAll(sockets.Where(s => s is not null).Select(s => BenchSocket.CloseQuietlyAsync(s!))).ConfigureAwait(false);
            if (publisher.State == WebSocketState.Open)
            {
                try
                {
                    await BenchSocket.SendTextAsync(publisher, "CLOSE", CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or IOException)
                {
                }
            }

            await BenchSocket.CloseQuietlyAsync(publisher).ConfigureAwait(false);
        }
    }
}
