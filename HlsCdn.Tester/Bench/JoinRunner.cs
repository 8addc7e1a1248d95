using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// Runs <c>bench join</c>: keeps a stream running while spectators join it one after another and measures how long
/// each waits from connecting to holding its first whole (verified) fragment.
/// </summary>
public static class JoinRunner
{
    /// <summary>Runs and reports; throws <see cref="BenchException"/> when the publisher cannot start.</summary>
    public static async Task<JoinResult> RunAsync(JoinSettings settings, ProgressLine progress, CancellationToken cancellationToken)
    {
        var payload = new FragmentPayload(settings.FragmentBytes);
        var pullUrl = settings.PullUrl ?? settings.Target.Url;
        var receiveBuffer = Math.Min(settings.FragmentBytes + 64, 64 * 1024);
        var maxFragments = (int)Math.Min(JoinSettings.MaxFragments, Math.Ceiling(settings.MaxRun / settings.Interval) + 1);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(settings.MaxRun + TimeSpan.FromMinutes(1));
        var harness = Process.GetCurrentProcess();
        var harnessCpuStart = harness.TotalProcessorTime;
        var wall = Stopwatch.StartNew();

        await using var sampler = new ProcessSampler(settings.ServerPids, settings.SamplePeriod);
        using var publisherSocket = await BenchSocket.ConnectAsync(settings.Target.Url, settings.Target.Push(settings.StreamId), 4096, run.Token).ConfigureAwait(false);
        var publisher = new FragmentPublisher(publisherSocket, payload, settings.Interval);
        var done = 0;
        sampler.MarkCpuStart();
        var publishing = publisher.RunAsync(maxFragments, _ => Volatile.Read(ref done) != 0, run.Token);
        var toUpgrade = new List<float>(settings.Joiners);
        var toOk = new List<float>(settings.Joiners);
        var toFirst = new List<float>(settings.Joiners);
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var corrupt = 0;
        try
        {
            await Task.Delay(settings.Warmup, run.Token).ConfigureAwait(false);
            var pull = settings.Target.Pull(settings.StreamId, settings.MaxInitialFragments);
            var joinsStart = Stopwatch.GetTimestamp();
            for (var i = 0; i < settings.Joiners && publisher.Failure is null && !publishing.IsCompleted; i++)
            {
                var wait = JoinSchedule.StartOf(i, settings.Spacing, settings.Interval) - Stopwatch.GetElapsedTime(joinsStart);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, run.Token).ConfigureAwait(false);
                }

                var failure = await JoinOnceAsync(pullUrl, pull, payload, receiveBuffer, maxFragments, toUpgrade, toOk, toFirst, run.Token).ConfigureAwait(false);
                if (failure == "corrupt")
                {
                    corrupt++;
                }
                else if (failure is not null)
                {
                    failures[failure] = failures.GetValueOrDefault(failure) + 1;
                }

                progress.Show(string.Create(CultureInfo.InvariantCulture, $"joined {toFirst.Count}/{settings.Joiners}  failed {failures.Values.Sum()}  corrupt {corrupt}"));
            }
        }
        finally
        {
            Volatile.Write(ref done, 1);
            try
            {
                await publishing.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
            }

            await BenchSocket.CloseQuietlyAsync(publisherSocket).ConfigureAwait(false);
            progress.Done();
        }

        var servers = await sampler.StopAsync().ConfigureAwait(false);
        return new JoinResult(
            pullUrl.ToString(),
            settings.StreamId,
            settings.Joiners,
            settings.FragmentBytes,
            settings.Interval.TotalMilliseconds,
            settings.MaxInitialFragments,
            toFirst.Count,
            failures.Values.Sum(),
            corrupt,
            [.. failures.OrderByDescending(f => f.Value).Take(5).Select(f => $"{f.Value} x {f.Key}")],
            LatencySummary.From([.. toUpgrade]),
            LatencySummary.From([.. toOk]),
            LatencySummary.From([.. toFirst]),
            servers,
            servers.Count > 1 ? ServerUsage.Sum(servers) : null,
            (harness.TotalProcessorTime - harnessCpuStart).TotalSeconds,
            wall.Elapsed.TotalSeconds,
            publisher.Failure);
    }

    // One joiner: connect, 101, PULL, OK, first fragment. Null on success, "corrupt", or why it failed.
    private static async Task<string?> JoinOnceAsync(Uri url, string pull, FragmentPayload payload, int receiveBuffer, int maxFragments, List<float> toUpgrade, List<float> toOk, List<float> toFirst, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var upgraded = 0L;
        WebSocket socket;
        try
        {
            socket = await BenchSocket.ConnectAsync(url, pull, receiveBuffer, at => upgraded = at, cancellationToken).ConfigureAwait(false);
        }
        catch (BenchException ex)
        {
            return ex.Message;
        }

        var ok = Stopwatch.GetTimestamp();
        try
        {
            var tally = new SpectatorTally(maxFragments, latencyCapacity: 1);
            var spectator = new SpectatorConnection(socket, payload, tally, receiveBuffer);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(JoinSettings.FirstFragmentTimeout);
            await spectator.RunAsync(1, timeout.Token).ConfigureAwait(false);
            if (spectator.FirstFragmentAt == 0)
            {
                return timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                    ? $"no fragment within {JoinSettings.FirstFragmentTimeout.TotalSeconds:F0} s"
                    : tally.Failure ?? "no fragment";
            }

            if (tally.Delivered != 1)
            {
                return "corrupt";
            }

            toUpgrade.Add((float)Stopwatch.GetElapsedTime(start, upgraded).TotalMilliseconds);
            toOk.Add((float)Stopwatch.GetElapsedTime(start, ok).TotalMilliseconds);
            toFirst.Add((float)Stopwatch.GetElapsedTime(start, spectator.FirstFragmentAt).TotalMilliseconds);
            return null;
        }
        finally
        {
            await BenchSocket.CloseQuietlyAsync(socket).ConfigureAwait(false);
        }
    }
}
