using System.Net.WebSockets;
using System.Text;
using HlsCdn.Protocol;
using static HlsCdn.Client.Tests.TestUtil;

namespace HlsCdn.Client.Tests;

public class StreamPublisherTests
{
    private static async Task<ProtocolMessage> AcceptPushAsync(ServerConnection c, string secret = PushSecret, bool sendOk = true)
    {
        var push = await c.ReceiveMessageAsync();
        Assert.Equal(MessageTypes.Push, push.Type);
        Assert.Equal(StreamId, push.Get(MessageParameters.Stream));
        var check = await new StreamTokenValidator(secret).ValidateAsync(push.Get(MessageParameters.Auth), StreamAccess.Push, StreamId);
        Assert.True(check.IsValid, check.Reason);
        if (sendOk)
        {
            await c.SendTextAsync(Messages.Ok);
        }

        return push;
    }

    private static StreamPublisherOptions Options(params Uri[] urls) => Options(urls, webSocketFactory: null);

    private static StreamPublisherOptions Options(Uri[] urls, Func<ClientWebSocket>? webSocketFactory) => new()
    {
        Urls = urls,
        StreamId = StreamId,
        PushSecret = PushSecret,
        Backoff = FastBackoff,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        WebSocketFactory = webSocketFactory,
    };

    // Options for url that add every WebSocket the publisher opens to sockets (so a test can break one under it).
    private static StreamPublisherOptions RecordingSockets(Uri url, List<ClientWebSocket> sockets) => Options([url], () =>
    {
        var socket = new ClientWebSocket();
        lock (sockets)
        {
            sockets.Add(socket);
        }

        return socket;
    });

    [Fact]
    public async Task Pushes_with_a_valid_token_waits_for_OK_sends_fragments_and_closes()
    {
        var okGate = new TaskCompletionSource();
        var received = new TaskCompletionSource<List<string>>();
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPushAsync(c, sendOk: false);
            await okGate.Task;
            await c.SendTextAsync(Messages.Ok);
            var log = new List<string>();
            var f1 = await c.ReceiveFragmentAsync();
            log.Add($"{f1.Duration}:{Convert.ToHexString(f1.Data)}");
            var f2 = await c.ReceiveFragmentAsync();
            log.Add($"{f2.Duration}:{f2.Data.Length}");
            var close = await c.ReceiveNonHeartbeatAsync();
            log.Add(Encoding.UTF8.GetString(close!.Value.Data));
            log.Add((await c.ReceiveAsync()) is null ? "closed" : "more");
            received.SetResult(log);
        });

        await using var publisher = new StreamPublisher(Options(server.Url));
        var states = Record(publisher);
        var connect = publisher.ConnectAsync(Timeout());
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(connect.IsCompleted);
        Assert.Equal(StreamConnectionState.Connecting, publisher.State);
        okGate.SetResult();
        await connect;
        Assert.True(publisher.IsConnected);
        Assert.Equal(server.Url, publisher.ConnectedUrl);

        await publisher.SendFragmentAsync(new byte[] { 1, 2, 3 }, TimeSpan.FromSeconds(2.5), Timeout());
        await publisher.SendFragmentAsync(Bytes(300_000, 7), TimeSpan.FromSeconds(1), Timeout());
        await publisher.CloseAsync(Timeout());

        var log = await received.Task.WaitAsync(Timeout());
        Assert.Equal(["2.5:010203", "1:300000", "CLOSE", "closed"], log);
        Assert.Equal(2, publisher.FragmentsSent);
        Assert.Equal(StreamConnectionState.Closed, publisher.State);
        Assert.Equal([StreamConnectionState.Connecting, StreamConnectionState.Connected, StreamConnectionState.Closed], states);
        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Heartbeats_never_come_between_F_and_its_binary_message()
    {
        // A heartbeat is due at every moment (1 ms interval) while large fragments are sent: protocol.md makes any text
        // message between F and its binary a protocol error, so the publisher must keep the pair together.
        const int Fragments = 40;
        var sequence = new TaskCompletionSource<List<string>>();
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPushAsync(c);
            var log = new List<string>();
            try
            {
                while (await c.ReceiveAsync() is { } message)
                {
                    log.Add(message.Type == WebSocketMessageType.Binary ? "binary" : Encoding.UTF8.GetString(message.Data).Split(':')[0]);
                }
            }
            finally
            {
                // What arrived is what the test reads, however the connection ended (under load the publisher's close can
                // race a 1 ms heartbeat, and the socket end without a close frame).
                sequence.TrySetResult(log);
            }
        });

        await using var publisher = new StreamPublisher(new StreamPublisherOptions
        {
            Urls = [server.Url],
            StreamId = StreamId,
            PushSecret = PushSecret,
            HeartbeatInterval = TimeSpan.FromMilliseconds(1),
        });
        await publisher.ConnectAsync(Timeout());
        for (var i = 0; i < Fragments; i++)
        {
            await publisher.SendFragmentAsync(Bytes(200_000, (byte)i), TimeSpan.FromSeconds(1), Timeout());

            // A moment between pairs, so the heartbeat loop surely runs while fragments are being sent (on a fast run the
            // 40 sends could finish before it was ever scheduled, and the test would prove nothing: it asserts an H came).
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }

        await publisher.CloseAsync(Timeout());
        var log = await sequence.Task.WaitAsync(Timeout());
        Assert.Equal(Fragments, log.Count(m => m == "F"));
        Assert.Contains("H", log);
        for (var i = 0; i < log.Count; i++)
        {
            if (log[i] == "F")
            {
                Assert.Equal("binary", log[i + 1]);
            }
        }

        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Uses_a_given_token_as_is()
    {
        var token = StreamTokenIssuer.Issue(PushSecret, StreamAccess.Push, StreamId, TimeSpan.FromMinutes(5));
        var auth = new TaskCompletionSource<string?>();
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            auth.SetResult((await AcceptPushAsync(c)).Get(MessageParameters.Auth));
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(new StreamPublisherOptions { Urls = [server.Url], StreamId = StreamId, Token = token });
        await publisher.ConnectAsync(Timeout());
        Assert.Equal(token, await auth.Task);
    }

    [Fact]
    public async Task Fails_over_to_the_second_url_when_the_first_is_down()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPushAsync(c);
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(Options(ScriptedServer.DeadUrl(), server.Url));
        await publisher.ConnectAsync(Timeout());
        Assert.Equal(server.Url, publisher.ConnectedUrl);
        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Throws_when_no_node_is_reachable()
    {
        await using var publisher = new StreamPublisher(Options(ScriptedServer.DeadUrl(), ScriptedServer.DeadUrl()));
        await Assert.ThrowsAsync<StreamConnectionException>(() => publisher.ConnectAsync(Timeout()));
        Assert.False(publisher.IsConnected);
    }

    [Fact]
    public async Task Push_not_allowed_moves_on_to_the_next_url()
    {
        await using var edge = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await c.ReceiveMessageAsync();
            await c.SendTextAsync(Messages.Error(ErrorCodes.PushNotAllowed, "edge node"));
            await c.DropAsync();
        });
        await using var origin = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPushAsync(c);
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(Options(edge.Url, origin.Url));
        await publisher.ConnectAsync(Timeout());
        Assert.Equal(origin.Url, publisher.ConnectedUrl);
        Assert.Equal(1, edge.Connections);
    }

    [Fact]
    public async Task Throws_push_not_allowed_when_every_node_refuses()
    {
        await using var edge = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await c.ReceiveMessageAsync();
            await c.SendTextAsync(Messages.Error(ErrorCodes.PushNotAllowed, "edge node"));
            await c.DropAsync();
        });
        await using var publisher = new StreamPublisher(Options(edge.Url, edge.Url));
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(() => publisher.ConnectAsync(Timeout()));
        Assert.Equal(ErrorCodes.PushNotAllowed, ex.Code);
        Assert.Equal(2, edge.Connections);
    }

    [Fact]
    public async Task Auth_error_is_terminal_and_not_retried()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await c.ReceiveMessageAsync();
            await c.SendTextAsync(Messages.Error(ErrorCodes.AuthError, "invalid token signature"));
            await c.DropAsync();
        });
        await using var publisher = new StreamPublisher(Options(server.Url, server.Url));
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(() => publisher.ConnectAsync(Timeout()));
        Assert.Equal(ErrorCodes.AuthError, ex.Code);
        Assert.Equal("invalid token signature", ex.Message);
        Assert.True(ex.IsRemote);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Push_error_from_a_takeover_is_terminal()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, index) =>
        {
            await AcceptPushAsync(c);
            await c.ReceiveFragmentAsync();
            await c.SendTextAsync(Messages.Error(ErrorCodes.PushError, "stream taken over by another publisher"));
            await c.DropAsync();
        });
        await using var publisher = new StreamPublisher(Options(server.Url));
        var faulted = new TaskCompletionSource<Exception?>();
        publisher.StateChanged += (_, e) =>
        {
            if (e.State == StreamConnectionState.Faulted)
            {
                faulted.TrySetResult(e.Error);
            }
        };
        await publisher.ConnectAsync(Timeout());
        await publisher.SendFragmentAsync(new byte[] { 1 }, TimeSpan.FromSeconds(1), Timeout());

        var error = Assert.IsType<StreamProtocolException>(await faulted.Task.WaitAsync(Timeout()));
        Assert.Equal(ErrorCodes.PushError, error.Code);
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(() => publisher.SendFragmentAsync(new byte[] { 2 }, TimeSpan.FromSeconds(1), Timeout()));
        Assert.Equal(ErrorCodes.PushError, ex.Code);
        Assert.Equal(StreamConnectionState.Faulted, publisher.State);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Reconnects_after_the_server_drops_it_and_sends_on_the_new_connection()
    {
        var secondFragment = new TaskCompletionSource<(string, byte[])>();
        var dropped = new TaskCompletionSource();
        await using var server = await ScriptedServer.StartAsync(async (c, index) =>
        {
            var push = await AcceptPushAsync(c);
            if (index == 0)
            {
                await c.ReceiveFragmentAsync();
                await c.DropAsync();
                dropped.SetResult();
                return;
            }

            secondFragment.SetResult(await c.ReceiveFragmentAsync());
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(Options(server.Url));
        var reconnecting = new TaskCompletionSource();
        publisher.StateChanged += (_, e) =>
        {
            if (e.State == StreamConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult();
            }
        };
        await publisher.ConnectAsync(Timeout());
        await publisher.SendFragmentAsync(new byte[] { 1 }, TimeSpan.FromSeconds(1), Timeout());
        await dropped.Task.WaitAsync(Timeout());
        await reconnecting.Task.WaitAsync(Timeout());

        await publisher.SendFragmentAsync(new byte[] { 2, 2 }, TimeSpan.FromSeconds(2), Timeout());
        var (duration, data) = await secondFragment.Task.WaitAsync(Timeout());
        Assert.Equal("2", duration);
        Assert.Equal(new byte[] { 2, 2 }, data);
        Assert.Equal(1, publisher.Reconnects);
        Assert.Equal(2, server.Connections);
        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Resends_the_fragment_whose_send_failed()
    {
        var sockets = new List<ClientWebSocket>();
        var fragments = new TaskCompletionSource<(int, string, byte[])>();
        await using var server = await ScriptedServer.StartAsync(async (c, index) =>
        {
            await AcceptPushAsync(c);
            var (duration, data) = await c.ReceiveFragmentAsync();
            fragments.TrySetResult((index, duration, data));
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(RecordingSockets(server.Url, sockets));
        await publisher.ConnectAsync(Timeout());
        lock (sockets)
        {
            // The connection breaks under the publisher: the next send fails and must be retried elsewhere.
            sockets[0].Abort();
        }

        await publisher.SendFragmentAsync(new byte[] { 9, 8, 7 }, TimeSpan.FromSeconds(0.5), Timeout());
        var (index, duration, data) = await fragments.Task.WaitAsync(Timeout());
        Assert.Equal(1, index);
        Assert.Equal("0.5", duration);
        Assert.Equal(new byte[] { 9, 8, 7 }, data);
        Assert.Equal(1, publisher.FragmentsSent);
    }

    [Fact]
    public async Task A_send_under_way_when_the_connection_is_dropped_is_resent_on_the_next_connection()
    {
        // The tester's publisher lost its node mid-send: the read loop saw the loss first and dropped the connection,
        // and the WebSocket reported the send it cut short as a cancellation, which escaped SendFragmentAsync (and
        // ended the tester with exit code 1 and no message). It must count as a lost connection, like any other.
        var sockets = new List<ClientWebSocket>();
        var release = new TaskCompletionSource();
        var fragments = new TaskCompletionSource<(int Index, string Duration, int Length)>();
        await using var server = await ScriptedServer.StartAsync(async (c, index) =>
        {
            await AcceptPushAsync(c);
            if (index == 0)
            {
                // Never reads: the client's large send fills the socket buffers and stays under way.
                await release.Task.WaitAsync(Timeout());
                return;
            }

            var (duration, data) = await c.ReceiveFragmentAsync();
            fragments.TrySetResult((index, duration, data.Length));
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(RecordingSockets(server.Url, sockets));
        await publisher.ConnectAsync(Timeout());
        var payload = new byte[64 * 1024 * 1024];
        payload[^1] = 7;
        var send = publisher.SendFragmentAsync(payload, TimeSpan.FromSeconds(1), Timeout());
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.False(send.IsCompleted, "the send finished although the server reads nothing: it was never under way");
        lock (sockets)
        {
            // What the publisher's own read loop does when the node vanishes: abort the connection under the send.
            sockets[0].Abort();
        }

        await send.WaitAsync(Timeout());
        var (index, duration, length) = await fragments.Task.WaitAsync(Timeout());
        release.TrySetResult();
        Assert.Equal(1, index);
        Assert.Equal("1", duration);
        Assert.Equal(payload.Length, length);
        Assert.Equal(1, publisher.FragmentsSent);
        Assert.Equal(1, publisher.Reconnects);
    }

    [Fact]
    public async Task Cycles_through_urls_when_reconnecting()
    {
        var onSecond = new TaskCompletionSource();
        await using var first = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPushAsync(c);
            await c.DropAsync();
        });
        await using var second = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPushAsync(c);
            onSecond.TrySetResult();
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(Options(first.Url, second.Url));
        await publisher.ConnectAsync(Timeout());
        await onSecond.Task.WaitAsync(Timeout());
        await WaitUntilAsync(() => publisher.ConnectedUrl == second.Url);
    }

    [Fact]
    public async Task Sends_heartbeats_when_idle()
    {
        var heartbeats = new TaskCompletionSource<int>();
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPushAsync(c);
            var count = 0;
            while (count < 3)
            {
                var message = await c.ReceiveMessageAsync(TimeSpan.FromSeconds(3));
                Assert.Equal(MessageTypes.Heartbeat, message.Type);
                count++;
            }

            heartbeats.SetResult(count);
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(new StreamPublisherOptions
        {
            Urls = [server.Url],
            StreamId = StreamId,
            PushSecret = PushSecret,
            HeartbeatInterval = TimeSpan.FromMilliseconds(150),
        });
        await publisher.ConnectAsync(Timeout());
        Assert.Equal(3, await heartbeats.Task.WaitAsync(Timeout()));
        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Sends_never_interleave_between_F_and_its_binary()
    {
        const int Count = 40;
        var done = new TaskCompletionSource<List<string>>();
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPushAsync(c);
            var durations = new List<string>();
            for (var i = 0; i < Count; i++)
            {
                var (duration, data) = await c.ReceiveFragmentAsync();
                Assert.Equal(data.Length, int.Parse(duration, System.Globalization.CultureInfo.InvariantCulture) * 1000);
                durations.Add(duration);
            }

            done.SetResult(durations);
            await c.DrainAsync();
        });
        await using var publisher = new StreamPublisher(new StreamPublisherOptions
        {
            Urls = [server.Url],
            StreamId = StreamId,
            PushSecret = PushSecret,
            HeartbeatInterval = TimeSpan.FromMilliseconds(1),
        });
        await publisher.ConnectAsync(Timeout());
        await Task.WhenAll(Enumerable.Range(1, Count).Select(i =>
            Task.Run(() => publisher.SendFragmentAsync(Bytes(i * 1000, (byte)i), TimeSpan.FromSeconds(i), Timeout()))));
        Assert.Equal(Count, (await done.Task.WaitAsync(Timeout())).Distinct().Count());
        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Send_before_connect_is_an_error_and_arguments_are_checked()
    {
        await using var publisher = new StreamPublisher(Options(ScriptedServer.DeadUrl()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.SendFragmentAsync(new byte[] { 1 }, TimeSpan.FromSeconds(1), Timeout()));
        await Assert.ThrowsAsync<ArgumentException>(() => publisher.SendFragmentAsync(ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(1), Timeout()));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => publisher.SendFragmentAsync(new byte[] { 1 }, TimeSpan.Zero, Timeout()));
    }

    [Fact]
    public void Options_are_validated()
    {
        var ok = Options(new Uri("ws://localhost/"));
        Assert.Throws<ArgumentException>(() => new StreamPublisher(new StreamPublisherOptions { Urls = [], StreamId = StreamId }));
        Assert.Throws<ArgumentException>(() => new StreamPublisher(new StreamPublisherOptions { Urls = [new Uri("http://localhost/")], StreamId = StreamId }));
        Assert.Throws<ArgumentException>(() => new StreamPublisher(new StreamPublisherOptions { Urls = ok.Urls, StreamId = "" }));
        Assert.Throws<ArgumentException>(() => new StreamPublisher(new StreamPublisherOptions { Urls = ok.Urls, StreamId = StreamId, Token = "t", PushSecret = "s" }));
        // A request over 1600 bytes would never be sent: refused up front.
        Assert.Throws<ArgumentException>(() => new StreamPublisher(new StreamPublisherOptions { Urls = ok.Urls, StreamId = StreamId, Token = new string('t', 1600) }));
        Assert.Throws<ArgumentException>(() => new StreamPublisher(new StreamPublisherOptions { Urls = ok.Urls, StreamId = StreamId, Backoff = new ReconnectBackoff { Initial = TimeSpan.FromSeconds(5), Max = TimeSpan.FromSeconds(1) } }));
        _ = new StreamPublisher(new StreamPublisherOptions { Urls = [new Uri("wss://example.invalid/ws")], StreamId = StreamId });
    }

    [Fact]
    public async Task Close_while_reconnecting_stops_and_dispose_is_idempotent()
    {
        var dropped = new TaskCompletionSource();
        await using var server = await ScriptedServer.StartAsync(async (c, index) =>
        {
            if (index == 0)
            {
                await AcceptPushAsync(c);
                await c.DropAsync();
                dropped.SetResult();
                return;
            }

            // Later attempts fail: the publisher keeps retrying with backoff.
            await c.DropAsync();
        });
        var publisher = new StreamPublisher(new StreamPublisherOptions
        {
            Urls = [server.Url],
            StreamId = StreamId,
            PushSecret = PushSecret,
            Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(100), Max = TimeSpan.FromMilliseconds(100) },
        });
        await publisher.ConnectAsync(Timeout());
        await dropped.Task.WaitAsync(Timeout());
        await WaitUntilAsync(() => publisher.State == StreamConnectionState.Reconnecting);
        await publisher.CloseAsync(Timeout());
        Assert.Equal(StreamConnectionState.Closed, publisher.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => publisher.SendFragmentAsync(new byte[] { 1 }, TimeSpan.FromSeconds(1), Timeout()));
        await publisher.DisposeAsync();
        await publisher.DisposeAsync();
        var connections = server.Connections;
        await Task.Delay(400, TestContext.Current.CancellationToken);
        Assert.Equal(connections, server.Connections);
    }

    [Fact]
    public void Backoff_grows_to_its_maximum_within_the_jitter()
    {
        var backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(100), Max = TimeSpan.FromSeconds(1), Jitter = 0.2 };
        Assert.InRange(backoff.GetDelay(0).TotalMilliseconds, 80, 120);
        Assert.InRange(backoff.GetDelay(2).TotalMilliseconds, 320, 480);
        Assert.InRange(backoff.GetDelay(30).TotalMilliseconds, 800, 1200);
        Assert.Equal(TimeSpan.FromMilliseconds(400), (backoff with { Jitter = 0 }).GetDelay(2));
    }
}
