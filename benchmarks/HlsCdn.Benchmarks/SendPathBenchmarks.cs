using System.Net.WebSockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Hosting;
using HlsCdn.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Benchmarks;

/// <summary>
/// The whole send path of a real node over loopback sockets: a publisher pushes one fragment, the node receives it,
/// fans it out and writes it to every spectator (queue, writer, prepared frames, gather send). An operation ends when
/// every spectator has read all of it. The memory diagnoser counts the process's allocations per operation (node,
/// publisher and spectators; the spectators allocate nothing): they must not grow with the number of spectators.
/// </summary>
[MemoryDiagnoser]
public class SendPathBenchmarks
{
    private const string Stream = "bench/send-path";
    private readonly List<RawSpectator> _spectators = [];
    private WebApplication _node = null!;
    private ClientWebSocket _publisher = null!;
    private byte[] _header = null!;
    private byte[] _payload = null!;
    private long _perFragment;

    [Params(1, 100, 1000)]
    public int Spectators { get; set; }

    [Params(20_000, 500_000)]
    public int FragmentBytes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Node:SpectatorQueueLength"] = "64";
        builder.AddHlsCdnNode(NodeRole.Publish, defaultPort: 0);
        _node = builder.Build();
        _node.MapHlsCdnNode();
        await _node.StartAsync();
        var port = new Uri(_node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        _publisher = new ClientWebSocket();
        _publisher.Options.KeepAliveInterval = TimeSpan.Zero;
        await _publisher.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), CancellationToken.None);
        await _publisher.SendAsync(Encoding.UTF8.GetBytes(Messages.Push(Stream, null)), WebSocketMessageType.Text, true, CancellationToken.None);
        var ok = new byte[16];
        await _publisher.ReceiveAsync(ok.AsMemory(), CancellationToken.None);

        for (var i = 0; i < Spectators; i++)
        {
            _spectators.Add(await RawSpectator.ConnectAsync(port, Stream));
        }

        // Every spectator has its OK (a 4-byte frame) before the first operation.
        WaitForAll(4);
        _header = Encoding.UTF8.GetBytes(Messages.Fragment(1));
        _payload = new byte[FragmentBytes];
        _perFragment = WebSocketFrame.TextThenBinaryHeader(Messages.Fragment(1), FragmentBytes).Length + FragmentBytes;
    }

    [Benchmark]
    public async Task PublishAndDeliverOneFragment()
    {
        var target = _spectators[0].Received + _perFragment;
        await _publisher.SendAsync(_header.AsMemory(), WebSocketMessageType.Text, true, CancellationToken.None);
        await _publisher.SendAsync(_payload.AsMemory(), WebSocketMessageType.Binary, true, CancellationToken.None);
        WaitForAll(target);
    }

    private void WaitForAll(long bytesEach)
    {
        var spin = new SpinWait();
        foreach (var spectator in _spectators)
        {
            while (spectator.Received < bytesEach)
            {
                spin.SpinOnce();
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var spectator in _spectators)
        {
            spectator.Dispose();
        }

        _publisher.Abort();
        _publisher.Dispose();
        await _node.StopAsync();
        await _node.DisposeAsync();
    }
}
