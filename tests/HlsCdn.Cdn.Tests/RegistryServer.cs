using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Garnet;
using StackExchange.Redis;

namespace HlsCdn.Cdn.Tests;

/// <summary>A Redis-protocol server on a loopback port that a test can stop and start again on the same port.</summary>
public abstract class RegistryServer : IAsyncDisposable
{
    protected RegistryServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public abstract string Kind { get; }

    /// <summary>Creates the server of <paramref name="kind"/> ("redis-server" or "garnet") and starts it.</summary>
    public static async Task<RegistryServer> StartAsync(string kind)
    {
        RegistryServer server = kind switch
        {
            "redis-server" => new RedisServerProcess(FreePort()),
            "garnet" => new EmbeddedGarnet(FreePort()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "redis-server or garnet"),
        };
        await server.StartAsync();
        return server;
    }

    public abstract Task StartAsync();

    public abstract Task StopAsync();

    public async Task<string?> GetAsync(string key)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
        var value = await redis.GetDatabase().StringGetAsync(key);
        return value.HasValue ? value.ToString() : null;
    }

    public async Task SetAsync(string key, string value)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
        await redis.GetDatabase().StringSetAsync(key, value);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=500");
                await redis.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class RedisServerProcess(int port) : RegistryServer(port)
    {
        private Process? _process;

        public override string Kind => "redis-server";

        public override async Task StartAsync()
        {
            var path = FindOnPath("redis-server");
            if (path is null)
            {
                Assert.Skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it): the registry tests against Redis were not run.");
            }

            _process = Process.Start(new ProcessStartInfo(path, ["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            await WaitUntilReadyAsync();
        }

        public override async Task StopAsync()
        {
            if (_process is { } process)
            {
                _process = null;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }

        private static string? FindOnPath(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
                .Select(dir => Path.Combine(dir, name))
                .FirstOrDefault(File.Exists);
    }

    private sealed class EmbeddedGarnet(int port) : RegistryServer(port)
    {
        private GarnetServer? _server;

        public override string Kind => "garnet";

        public override async Task StartAsync()
        {
            _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--memory", "64m", "--index", "16m", "--page", "1m"]);
            _server.Start();
            await WaitUntilReadyAsync();
        }

        public override Task StopAsync()
        {
            var server = Interlocked.Exchange(ref _server, null);
            server?.Dispose();
            return Task.CompletedTask;
        }
    }
}
