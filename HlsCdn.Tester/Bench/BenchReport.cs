using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HlsCdn.Tester.Bench;

/// <summary>Writes a bench result as a readable table, or as JSON (<c>--json</c>) for machines and <c>bench plot</c>.</summary>
public static class BenchReport
{
    /// <summary>The JSON shape: camelCase, indented, numbers as numbers.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="result"/> as JSON.</summary>
    public static void WriteJson<T>(T result, TextWriter writer) => writer.WriteLine(JsonSerializer.Serialize(result, JsonOptions));

    /// <summary>The fan-out table.</summary>
    public static void Write(FanoutResult r, TextWriter w)
    {
        var wl = r.Workload;
        var d = r.Delivery;
        w.WriteLine(F($"fanout: {wl.Spectators} spectators (+{wl.Stalled} stalled) x {wl.FragmentBytes / 1000.0:F1} kB every {wl.IntervalMilliseconds:F0} ms for {wl.DurationSeconds:F1} s = {wl.Fragments} fragments, {wl.OutMegabytesPerSecond:F1} MB/s out"));
        w.WriteLine(wl.Url == wl.PullUrl ? $"  node {wl.Url}" : $"  push to {wl.Url}, pull from {wl.PullUrl}");
        w.WriteLine();
        Row(w, "delivered", F($"{d.Delivered} of {d.Expected}") + (d.IsClean ? "  (all exact, in order, CLOSE seen)" : string.Empty));
        Row(w, "lost / duplicates / out of order", F($"{d.Lost} / {d.Duplicates} / {d.OutOfOrder}"));
        Row(w, "corrupt / protocol errors", F($"{d.Corrupt} / {d.ProtocolErrors}"));
        Row(w, "spectators with loss / saw CLOSE", F($"{d.SpectatorsWithLoss} / {d.SpectatorsClosed} of {d.Spectators}"));
        foreach (var failure in d.Failures)
        {
            Row(w, "ended", failure);
        }

        var l = r.Latency;
        Row(w, "latency ms p50 / p90 / p99", F($"{l.P50:F1} / {l.P90:F1} / {l.P99:F1}"));
        Row(w, "latency ms p99.9 / max / mean", F($"{l.P999:F1} / {l.Max:F1} / {l.Mean:F1}"));
        Servers(w, r.Servers, r.ServersTotal);
        Row(w, "harness CPU s / wall s / allocated MB", F($"{r.HarnessCpuSeconds:F2} / {r.ElapsedSeconds:F1} / {Mb(r.HarnessAllocatedBytes)}"));
        Row(w, "publisher worst lag ms", F($"{r.PublisherMaxLagMilliseconds:F1}"));
        if (r.PublisherFailure is { } failure2)
        {
            Row(w, "publisher", failure2);
        }
    }

    /// <summary>The join table.</summary>
    public static void Write(JoinResult r, TextWriter w)
    {
        w.WriteLine(F($"join: {r.Joiners} spectators joining a {r.FragmentBytes / 1000.0:F1} kB / {r.IntervalMilliseconds:F0} ms stream at {r.Url}") + (r.MaxInitialFragments is { } m ? $" (max_initial_fragments={m})" : string.Empty));
        w.WriteLine();
        Row(w, "joined / failed / corrupt", F($"{r.Joined} / {r.Failed} / {r.Corrupt}"));
        foreach (var failure in r.Failures)
        {
            Row(w, "failed", failure);
        }

        Row(w, "connect -> 101 ms p50 / p99 / max", F($"{r.ConnectToUpgrade.P50:F2} / {r.ConnectToUpgrade.P99:F2} / {r.ConnectToUpgrade.Max:F2}"));
        Row(w, "connect -> OK ms p50 / p99 / max", F($"{r.ConnectToOk.P50:F2} / {r.ConnectToOk.P99:F2} / {r.ConnectToOk.Max:F2}"));
        Row(w, "connect -> first fragment ms p50 / p99 / max", F($"{r.ConnectToFirstFragment.P50:F2} / {r.ConnectToFirstFragment.P99:F2} / {r.ConnectToFirstFragment.Max:F2}"));
        Servers(w, r.Servers, r.ServersTotal);
        Row(w, "harness CPU s / wall s", F($"{r.HarnessCpuSeconds:F2} / {r.ElapsedSeconds:F1}"));
        if (r.PublisherFailure is { } failure2)
        {
            Row(w, "publisher", failure2);
        }
    }

    /// <summary>The idle-connections table.</summary>
    public static void Write(ConnsResult r, TextWriter w)
    {
        w.WriteLine($"conns: {r.Opened} of {r.Connections} idle spectator connections to {r.Url}");
        w.WriteLine();
        if (r.Servers.Count == 0)
        {
            Row(w, "server RSS", "not measured (give --server-pid)");
        }
        else
        {
            Row(w, "server RSS MB before / connected / after close", F($"{Mb(r.RssBeforeBytes)} / {Mb(r.RssConnectedBytes)} / {Mb(r.RssAfterCloseBytes)}"));
            Row(w, "RSS per connection KiB", F($"{r.RssPerConnectionBytes / 1024:F1}"));
            Row(w, "given back after close", F($"{100 * r.ReturnedFraction:F0} %"));
            Servers(w, r.Servers, null);
        }

        Row(w, "harness CPU s / wall s", F($"{r.HarnessCpuSeconds:F2} / {r.ElapsedSeconds:F1}"));
    }

    private static void Servers(TextWriter w, IReadOnlyList<ServerUsage> servers, ServerUsage? total)
    {
        foreach (var s in servers)
        {
            Server(w, $"server {s.Pid}", s);
        }

        if (total is not null)
        {
            Server(w, "servers together", total);
        }
    }

    private static void Server(TextWriter w, string name, ServerUsage s)
    {
        Row(w, $"{name} CPU s (user + sys)", F($"{s.CpuSeconds:F2} ({s.UserCpuSeconds:F2} + {s.SystemCpuSeconds:F2})") + (s.Exited ? "  EXITED during the run" : string.Empty));
        Row(w, $"{name} RSS MB start / peak / end", F($"{Mb(s.RssStartBytes)} / {Mb(s.RssPeakBytes)} / {Mb(s.RssEndBytes)}  (growth {Mb(s.RssGrowthBytes)})"));
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);

    private static void Row(TextWriter w, string name, string value) => w.WriteLine($"  {name,-48} {value}");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
