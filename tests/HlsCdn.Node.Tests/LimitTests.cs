using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Protocol;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Tests;

public sealed class LimitTests
{
    private static async Task<(ClientWebSocket Socket, HttpStatusCode Status)> TryConnectAsync(Uri url, string? origin = null, string? forwardedFor = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        if (forwardedFor is not null)
        {
            socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        }

        using var cts = new CancellationTokenSource(RawPeer.DefaultTimeout);
        try
        {
            await socket.ConnectAsync(url, cts.Token);
        }
        catch (WebSocketException)
        {
        }

        return (socket, socket.HttpStatusCode);
    }

    private static async Task CloseAsync(ClientWebSocket socket)
    {
        if (socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (WebSocketException)
            {
                // Before its first message a session is simply dropped by the node.
            }
        }

        socket.Dispose();
    }

    [Fact]
    public async Task Sessions_over_the_per_IP_limit_get_429_until_one_ends()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:RateLimit:Enabled", "true"),
            ("Node:RateLimit:ConnectionsPerIp", "2")));
        using var rejections = new Recorder(node.Get<NodeLimitMetrics>().RateLimitRejections);
        var first = await TryConnectAsync(node.WebSocketUrl);
        var second = await TryConnectAsync(node.WebSocketUrl);
        var third = await TryConnectAsync(node.WebSocketUrl);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, first.Status);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, second.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal(1, rejections.Total);

        // Plain HTTP is not a session: not limited by the connection limit.
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(node.HttpUrl, "api/node"), TestContext.Current.CancellationToken)).StatusCode);

        // The permit is held for the whole session and given back when it ends.
        await CloseAsync(first.Socket);
        var again = await PollAsync(() => TryConnectAsync(node.WebSocketUrl), r => r.Status == HttpStatusCode.SwitchingProtocols);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, again.Status);
        foreach (var socket in new[] { second.Socket, third.Socket, again.Socket })
        {
            await CloseAsync(socket);
        }
    }

    [Fact]
    public async Task Allow_listed_addresses_are_never_limited()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:RateLimit:Enabled", "true"),
            ("Node:RateLimit:ConnectionsPerIp", "1"),
            ("Node:RateLimit:RequestsPerSecond", "1"),
            ("Node:RateLimit:RequestBurst", "1"),
            ("Node:RateLimit:AllowList", "10.0.0.0/8, 127.0.0.1/32")));
        var sessions = new List<ClientWebSocket>();
        for (var i = 0; i < 5; i++)
        {
            var (socket, status) = await TryConnectAsync(node.WebSocketUrl);
            Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
            sessions.Add(socket);
        }

        foreach (var socket in sessions)
        {
            await CloseAsync(socket);
        }
    }

    [Fact]
    public async Task The_token_bucket_rejects_a_burst_beyond_the_limit()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:RateLimit:Enabled", "true"),
            ("Node:RateLimit:RequestsPerSecond", "1"),
            ("Node:RateLimit:RequestBurst", "4")));
        using var rejections = new Recorder(node.Get<NodeLimitMetrics>().RateLimitRejections);
        using var http = new HttpClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await http.GetAsync(new Uri(node.HttpUrl, "api/node"), TestContext.Current.CancellationToken)).StatusCode);
        }

        var ok = statuses.Count(s => s == HttpStatusCode.OK);

        // 4 at once, plus at most a token or two replenished while the loop runs.
        Assert.InRange(ok, 4, 6);
        Assert.Equal(12 - ok, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(12 - ok, rejections.Total);

        // WebSocket upgrades are requests too.
        var (socket, status) = await TryConnectAsync(node.WebSocketUrl);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        socket.Dispose();
    }

    [Fact]
    public async Task Forwarded_for_counts_only_from_a_known_proxy()
    {
        var limited = TestData.Settings(("Node:RateLimit:Enabled", "true"), ("Node:RateLimit:ConnectionsPerIp", "1"));

        // Without known proxies the header is ignored: both sessions are 127.0.0.1.
        await using (var node = await TestNode.StartAsync(limited))
        {
            var a = await TryConnectAsync(node.WebSocketUrl, forwardedFor: "203.0.113.1");
            var b = await TryConnectAsync(node.WebSocketUrl, forwardedFor: "203.0.113.2");
            Assert.Equal(HttpStatusCode.SwitchingProtocols, a.Status);
            Assert.Equal(HttpStatusCode.TooManyRequests, b.Status);
            await CloseAsync(a.Socket);
            b.Socket.Dispose();
        }

        // With 127.0.0.1 as a known proxy the header names the client: two clients, one session each.
        limited["Node:ForwardedHeaders:KnownProxies"] = "127.0.0.1";
        await using (var node = await TestNode.StartAsync(limited))
        {
            var a = await TryConnectAsync(node.WebSocketUrl, forwardedFor: "203.0.113.1");
            var b = await TryConnectAsync(node.WebSocketUrl, forwardedFor: "203.0.113.2");
            var c = await TryConnectAsync(node.WebSocketUrl, forwardedFor: "203.0.113.2");
            Assert.Equal(HttpStatusCode.SwitchingProtocols, a.Status);
            Assert.Equal(HttpStatusCode.SwitchingProtocols, b.Status);
            Assert.Equal(HttpStatusCode.TooManyRequests, c.Status);
            await CloseAsync(a.Socket);
            await CloseAsync(b.Socket);
            c.Socket.Dispose();
        }
    }

    [Fact]
    public async Task Origin_allow_list_refuses_other_origins_with_403()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:AllowedOrigins", "https://player.example.com, http://localhost:3000")));
        var other = await TryConnectAsync(node.WebSocketUrl, origin: "https://evil.example.net");
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        other.Socket.Dispose();

        foreach (var origin in new[] { "https://player.example.com", "HTTP://LOCALHOST:3000", null })
        {
            var (socket, status) = await TryConnectAsync(node.WebSocketUrl, origin: origin);
            Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
            await socket.SendAsync("PULL:stream=x"u8.ToArray(), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
            var buffer = new byte[64];
            var received = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            Assert.Equal(Messages.Ok, System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count));
            await CloseAsync(socket);
        }
    }

    [Fact]
    public async Task Without_an_allow_list_any_origin_connects()
    {
        await using var node = await TestNode.StartAsync();
        var (socket, status) = await TryConnectAsync(node.WebSocketUrl, origin: "https://anywhere.example.org");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        await CloseAsync(socket);
    }

    [Theory]
    [InlineData("Node:RateLimit:AllowList", "10.0.0.0/33", "Node:RateLimit:AllowList (RATE_LIMIT_WHITELIST)")]
    [InlineData("Node:RateLimit:AllowList", "127.0.0.1, not-an-ip", "Node:RateLimit:AllowList (RATE_LIMIT_WHITELIST)")]
    [InlineData("Node:RateLimit:ConnectionsPerIp", "-1", "Node:RateLimit:ConnectionsPerIp (RATE_LIMIT_CONNECTIONS)")]
    [InlineData("Node:RateLimit:RequestsPerSecond", "-5", "Node:RateLimit:RequestsPerSecond (RATE_LIMIT_REQ_PER_SEC)")]
    [InlineData("Node:ForwardedHeaders:KnownNetworks", "10.0.0.0/40", "Node:ForwardedHeaders:KnownNetworks")]
    [InlineData("Node:ForwardedHeaders:KnownProxies", "proxy.local", "Node:ForwardedHeaders:KnownProxies")]
    [InlineData("Node:AllowedOrigins", "https://ok.example.com/path", "Node:AllowedOrigins")]
    [InlineData("Node:ShutdownTimeout", "00:00:00", "Node:ShutdownTimeout")]
    public async Task Bad_limit_settings_stop_start_up_naming_the_setting(string key, string value, string named)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestNode.StartAsync(TestData.Settings((key, value))));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> attempt, Func<T, bool> done)
    {
        var result = await attempt();
        for (var i = 0; i < 50 && !done(result); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            result = await attempt();
        }

        return result;
    }

    /// <summary>Sums one counter instrument's measurements (of one node only).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public Recorder(Counter<long> counter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument, counter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
