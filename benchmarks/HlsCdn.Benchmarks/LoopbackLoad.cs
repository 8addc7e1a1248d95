using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Benchmarks;

/// <summary>
/// A real node on a loopback port, one publisher, N spectators over real WebSockets. Each fragment carries its send
/// time; spectators compute delivery latency. Reports latency percentiles, the process's CPU time and memory.
/// Bounded by <c>seconds</c>; loopback only.
/// </summary>
internal static class LoopbackLoad
{
    public static async Task<int> RunAsync(int subscribers, int size, double rate, int seconds)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Node:SubscriberQueueLength"] = "32";
        builder.AddHlsCdnNode(NodeRole.Publish, 0);
        await using var app = builder.Build();
        app.MapHlsCdnNode();
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("http", "ws", StringComparison.Ordinal) + "/");

        using var publisher = await ConnectAsync(url, "PUSH:stream=load");
        var spectators = new List<ClientWebSocket>();
        for (var i = 0; i < subscribers; i++)
        {
            spectators.Add(await ConnectAsync(url, "PULL:stream=load&max_initial_fragments=0"));
        }

        var latencies = new List<double>[subscribers];
        var receivers = spectators.Select((s, i) => ReceiveAsync(s, latencies[i] = [], size)).ToArray();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        var header = Encoding.UTF8.GetBytes("F:duration=" + (1 / rate).ToString("R", CultureInfo.InvariantCulture));
        var fragments = (int)(seconds * rate);
        long peakWorkingSet = 0;
        for (var f = 0; f < fragments; f++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
            await publisher.SendAsync(header, WebSocketMessageType.Text, true, CancellationToken.None);
            await publisher.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
            process.Refresh();
            peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
            var next = TimeSpan.FromSeconds((f + 1) / rate) - wall.Elapsed;
            if (next > TimeSpan.Zero)
            {
                await Task.Delay(next);
            }
        }

        await publisher.SendAsync("CLOSE"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await Task.WhenAll(receivers).WaitAsync(TimeSpan.FromSeconds(60));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var delivered = all.Length;
        Console.WriteLine($"loopback load: {subscribers} spectators x {size / 1000.0:F0} kB x {rate} fragments/s for {seconds} s " +
            $"({subscribers * size * rate * 8 / 1e6:F0} Mbit/s out)");
        Console.WriteLine($"  delivered {delivered} of {fragments * subscribers} fragments");
        if (delivered > 0)
        {
            Console.WriteLine($"  delivery latency ms: p50 {P(all, 0.5):F2}  p90 {P(all, 0.9):F2}  p99 {P(all, 0.99):F2}  max {all[^1]:F2}");
        }

        Console.WriteLine($"  process CPU {cpu.TotalSeconds:F2} s over {wall.Elapsed.TotalSeconds:F1} s wall ({100 * cpu.TotalSeconds / wall.Elapsed.TotalSeconds:F0}% of one core; node + publisher + spectators in one process)");
        Console.WriteLine($"  peak working set {peakWorkingSet / 1e6:F0} MB, managed heap now {GC.GetTotalMemory(false) / 1e6:F0} MB");
        foreach (var s in spectators)
        {
            s.Dispose();
        }

        await app.StopAsync();
        return delivered == fragments * subscribers ? 0 : 1;
    }

    private static double P(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static async Task<ClientWebSocket> ConnectAsync(Uri url, string first)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes(first), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[16];
        var ok = await socket.ReceiveAsync(buffer, CancellationToken.None);
        if (Encoding.UTF8.GetString(buffer, 0, ok.Count) != "OK")
        {
            throw new InvalidOperationException("node refused " + first);
        }

        return socket;
    }

    private static async Task ReceiveAsync(ClientWebSocket socket, List<double> latencies, int size)
    {
        var buffer = new byte[Math.Max(size + 64, 4096)];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                count += result.Count;
            }
            while (!result.EndOfMessage && count < buffer.Length);

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                var sent = BinaryPrimitives.ReadInt64LittleEndian(buffer);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
            else if (result.MessageType == WebSocketMessageType.Close || Encoding.UTF8.GetString(buffer, 0, count) == "CLOSE")
            {
                return;
            }
        }
    }
}
