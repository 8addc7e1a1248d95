using HlsCdn.Protocol;
using static HlsCdn.Client.Tests.TestUtil;

namespace HlsCdn.Client.Tests;

public class StreamSpectatorTests
{
    private static async Task<ProtocolMessage> AcceptPullAsync(ServerConnection c, bool sendOk = true)
    {
        var pull = await c.ReceiveMessageAsync();
        Assert.Equal(MessageTypes.Pull, pull.Type);
        Assert.Equal(StreamId, pull.Get(MessageParameters.Stream));
        var check = await new StreamTokenValidator(PullSecret).ValidateAsync(pull.Get(MessageParameters.Auth), StreamAccess.Pull, StreamId);
        Assert.True(check.IsValid, check.Reason);
        if (sendOk)
        {
            await c.SendTextAsync(Messages.Ok);
        }

        return pull;
    }

    private static StreamSpectatorOptions Options(Uri url, bool reconnect = false) => new()
    {
        Url = url,
        StreamId = StreamId,
        PullSecret = PullSecret,
        Reconnect = reconnect,
        Backoff = FastBackoff,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    private static async Task<List<ReceivedFragment>> ReadAllAsync(StreamSpectator subscriber)
    {
        var list = new List<ReceivedFragment>();
        await foreach (var fragment in subscriber.ReadFragmentsAsync(Timeout()))
        {
            list.Add(fragment);
        }

        return list;
    }

    [Fact]
    public async Task Yields_fragments_in_order_with_durations_and_ends_on_close()
    {
        ProtocolMessage? pull = null;
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            pull = await AcceptPullAsync(c);
            await c.SendFragmentAsync("1", [1]);
            await c.SendTextAsync(Messages.Heartbeat);
            await c.SendFragmentAsync("2.5", [2, 2]);
            await c.SendFragmentAsync("1e0", Bytes(200_000, 3));
            await c.SendTextAsync("f:duration=1.0");
            await c.SendBinaryAsync([4]);
            await c.SendTextAsync("X:unknown=message");
            await c.SendTextAsync(Messages.Close);
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSpectator(new StreamSpectatorOptions
        {
            Url = server.Url,
            StreamId = StreamId,
            PullSecret = PullSecret,
            OnlySource = true,
            MaxInitialFragments = 2,
        });
        var fragments = await ReadAllAsync(subscriber);

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], fragments.Select(f => f.Duration));
        Assert.Equal(new byte[] { 1 }, fragments[0].Data.ToArray());
        Assert.Equal(new byte[] { 2, 2 }, fragments[1].Data.ToArray());
        Assert.Equal(Bytes(200_000, 3), fragments[2].Data.ToArray());
        Assert.Equal(new byte[] { 4 }, fragments[3].Data.ToArray());
        Assert.True(subscriber.Ended);
        Assert.Equal(SpectatorEndReason.StreamClosed, subscriber.EndReason);
        Assert.Equal(StreamConnectionState.Closed, subscriber.State);
        Assert.Equal(4, subscriber.FragmentsReceived);
        Assert.Equal("true", pull!.Get(MessageParameters.OnlySource));
        Assert.Equal("2", pull.Get(MessageParameters.MaxInitialFragments));
        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Each_fragment_owns_its_bytes()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendFragmentAsync("1", [1, 1, 1]);
            await c.SendFragmentAsync("1", [2, 2, 2]);
            await c.SendTextAsync(Messages.Close);
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        var fragments = await ReadAllAsync(subscriber);
        Assert.Equal(new byte[] { 1, 1, 1 }, fragments[0].Data.ToArray());
        Assert.Equal(new byte[] { 2, 2, 2 }, fragments[1].Data.ToArray());
    }

    [Fact]
    public async Task Unknown_stream_ok_then_close_ends_with_no_fragments()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c, sendOk: false);
            await c.SendTextAsync("OK");
            await c.SendTextAsync("CLOSE");
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        Assert.Empty(await ReadAllAsync(subscriber));
        Assert.True(subscriber.Ended);
    }

    [Fact]
    public async Task Error_message_throws_a_protocol_exception()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendFragmentAsync("1", [1]);
            await c.SendTextAsync("E:message=too+slow&code=SLOW_SUBSCRIBER");
            await c.DropAsync();
        });
        await using var subscriber = new StreamSpectator(Options(server.Url, reconnect: true));
        var received = new List<ReceivedFragment>();
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(async () =>
        {
            await foreach (var f in subscriber.ReadFragmentsAsync(Timeout()))
            {
                received.Add(f);
            }
        });
        Assert.Single(received);
        Assert.Equal(ErrorCodes.SlowSubscriber, ex.Code);
        Assert.Equal("too slow", ex.Message);
        Assert.True(ex.IsRemote);
        Assert.Equal(SpectatorEndReason.ProtocolError, subscriber.EndReason);
        Assert.Equal(StreamConnectionState.Faulted, subscriber.State);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Auth_error_on_pull_throws()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await c.ReceiveMessageAsync();
            await c.SendTextAsync(Messages.Error(ErrorCodes.AuthError, "token expired"));
            await c.DropAsync();
        });
        await using var subscriber = new StreamSpectator(Options(server.Url, reconnect: true));
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(() => ReadAllAsync(subscriber));
        Assert.Equal(ErrorCodes.AuthError, ex.Code);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Drop_without_reconnect_throws_a_connection_exception()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendFragmentAsync("1", [1]);
            await c.DropAsync();
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        var received = 0;
        var ex = await Assert.ThrowsAsync<StreamConnectionException>(async () =>
        {
            await foreach (var f in subscriber.ReadFragmentsAsync(Timeout()))
            {
                received++;
            }
        });
        Assert.IsAssignableFrom<IOException>(ex);
        Assert.Equal(1, received);
        Assert.Equal(SpectatorEndReason.ConnectionLost, subscriber.EndReason);
        Assert.False(subscriber.Ended);
    }

    [Fact]
    public async Task Close_frame_without_CLOSE_message_is_a_drop()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.CloseAsync();
            await c.DrainAsync(TimeSpan.FromSeconds(2));
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        await Assert.ThrowsAsync<StreamConnectionException>(() => ReadAllAsync(subscriber));
    }

    [Fact]
    public async Task Unreachable_node_throws_a_connection_exception()
    {
        await using var subscriber = new StreamSpectator(Options(ScriptedServer.DeadUrl(), reconnect: true));
        await Assert.ThrowsAsync<StreamConnectionException>(() => ReadAllAsync(subscriber));
    }

    [Fact]
    public async Task Reconnects_when_enabled_and_continues()
    {
        var pulls = new List<ProtocolMessage>();
        await using var server = await ScriptedServer.StartAsync(async (c, index) =>
        {
            lock (pulls)
            {
                pulls.Add(ProtocolMessage.Parse("X"));
            }

            var pull = await AcceptPullAsync(c);
            lock (pulls)
            {
                pulls[index] = pull;
            }

            if (index == 0)
            {
                await c.SendFragmentAsync("1", [1]);
                await c.SendTextAsync("F:duration=1");
                await c.DropAsync();
                return;
            }

            await c.SendFragmentAsync("2", [2]);
            await c.SendTextAsync(Messages.Close);
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSpectator(new StreamSpectatorOptions
        {
            Url = server.Url,
            StreamId = StreamId,
            PullSecret = PullSecret,
            Reconnect = true,
            Backoff = FastBackoff,
            MaxInitialFragments = 5,
            MaxInitialFragmentsOnReconnect = 0,
        });
        var states = new List<StreamConnectionState>();
        subscriber.StateChanged += (_, e) => states.Add(e.State);

        var fragments = await ReadAllAsync(subscriber);
        Assert.Equal([new byte[] { 1 }, new byte[] { 2 }], fragments.Select(f => f.Data.ToArray()));
        Assert.Equal(1, subscriber.Reconnects);
        Assert.True(subscriber.Ended);
        Assert.Equal("5", pulls[0].Get(MessageParameters.MaxInitialFragments));
        Assert.Equal("0", pulls[1].Get(MessageParameters.MaxInitialFragments));
        Assert.Equal(
            [StreamConnectionState.Connecting, StreamConnectionState.Connected, StreamConnectionState.Reconnecting, StreamConnectionState.Connected, StreamConnectionState.Closed],
            states);
        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Reconnection_gives_up_after_max_attempts()
    {
        var first = true;
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            if (first)
            {
                first = false;
                await AcceptPullAsync(c);
                await c.SendFragmentAsync("1", [1]);
            }

            await c.DropAsync();
        });
        await using var subscriber = new StreamSpectator(new StreamSpectatorOptions
        {
            Url = server.Url,
            StreamId = StreamId,
            PullSecret = PullSecret,
            Reconnect = true,
            Backoff = FastBackoff,
            MaxReconnectAttempts = 3,
        });
        await Assert.ThrowsAsync<StreamConnectionException>(() => ReadAllAsync(subscriber));
        Assert.Equal(4, server.Connections);
        Assert.Equal(SpectatorEndReason.ConnectionLost, subscriber.EndReason);
    }

    [Fact]
    public async Task Binary_without_F_is_a_protocol_error_reported_to_the_node()
    {
        var reported = new TaskCompletionSource<ProtocolMessage>();
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendBinaryAsync([1, 2]);
            reported.SetResult(await c.ReceiveMessageAsync());
            await c.DrainAsync(TimeSpan.FromSeconds(2));
        });
        await using var subscriber = new StreamSpectator(Options(server.Url, reconnect: true));
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(() => ReadAllAsync(subscriber));
        Assert.Equal(ErrorCodes.ProtocolError, ex.Code);
        Assert.False(ex.IsRemote);
        var error = await reported.Task.WaitAsync(Timeout());
        Assert.Equal(MessageTypes.Error, error.Type);
        Assert.Equal(ErrorCodes.ProtocolError, error.Get(MessageParameters.Code));
    }

    [Theory]
    [InlineData("F:duration=0")]
    [InlineData("F:duration=-1")]
    [InlineData("F:duration=NaN")]
    [InlineData("F:duration=Infinity")]
    [InlineData("F:duration=abc")]
    [InlineData("F")]
    public async Task Bad_duration_is_a_fragment_metadata_error(string header)
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendTextAsync(header);
            await c.SendBinaryAsync([1]);
            await c.DrainAsync(TimeSpan.FromSeconds(2));
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(() => ReadAllAsync(subscriber));
        Assert.Equal(ErrorCodes.FragmentMetadataError, ex.Code);
    }

    [Fact]
    public async Task Empty_binary_is_a_protocol_error()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendTextAsync("F:duration=1");
            await c.SendBinaryAsync([]);
            await c.DrainAsync(TimeSpan.FromSeconds(2));
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(() => ReadAllAsync(subscriber));
        Assert.Equal(ErrorCodes.ProtocolError, ex.Code);
    }

    [Fact]
    public async Task Oversize_fragment_is_refused()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendFragmentAsync("1", Bytes(100, 0));
            await c.SendFragmentAsync("1", Bytes(101, 0));
            await c.DrainAsync(TimeSpan.FromSeconds(2));
        });
        await using var subscriber = new StreamSpectator(new StreamSpectatorOptions
        {
            Url = server.Url,
            StreamId = StreamId,
            PullSecret = PullSecret,
            MaxFragmentBytes = 100,
        });
        var received = 0;
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(async () =>
        {
            await foreach (var f in subscriber.ReadFragmentsAsync(Timeout()))
            {
                received++;
            }
        });
        Assert.Equal(1, received);
        Assert.Equal(ErrorCodes.FragmentTooLarge, ex.Code);
    }

    [Fact]
    public async Task Oversize_text_is_refused()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendTextAsync("H:x=" + new string('a', 2000));
            await c.DrainAsync(TimeSpan.FromSeconds(2));
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        var ex = await Assert.ThrowsAsync<StreamProtocolException>(() => ReadAllAsync(subscriber));
        Assert.Equal(ErrorCodes.ProtocolError, ex.Code);
    }

    [Fact]
    public async Task Sends_heartbeats_when_idle()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            for (var i = 0; i < 3; i++)
            {
                var message = await c.ReceiveMessageAsync(TimeSpan.FromSeconds(3));
                Assert.Equal(MessageTypes.Heartbeat, message.Type);
            }

            await c.SendTextAsync(Messages.Close);
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSpectator(new StreamSpectatorOptions
        {
            Url = server.Url,
            StreamId = StreamId,
            PullSecret = PullSecret,
            HeartbeatInterval = TimeSpan.FromMilliseconds(150),
        });
        Assert.Empty(await ReadAllAsync(subscriber));
        Assert.True(subscriber.Ended);
        server.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Idle_connection_times_out()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSpectator(new StreamSpectatorOptions
        {
            Url = server.Url,
            StreamId = StreamId,
            PullSecret = PullSecret,
            IdleTimeout = TimeSpan.FromMilliseconds(300),
        });
        var ex = await Assert.ThrowsAsync<StreamConnectionException>(() => ReadAllAsync(subscriber));
        Assert.Contains("Nothing received", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_the_enumeration()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendFragmentAsync("1", [1]);
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var f in subscriber.ReadFragmentsAsync(cts.Token))
            {
                await cts.CancelAsync();
            }
        });
        Assert.Equal(SpectatorEndReason.Cancelled, subscriber.EndReason);
    }

    [Fact]
    public async Task Can_be_enumerated_only_once()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            await AcceptPullAsync(c);
            await c.SendTextAsync(Messages.Close);
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSpectator(Options(server.Url));
        await ReadAllAsync(subscriber);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAllAsync(subscriber));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new StreamSpectator(new StreamSpectatorOptions { Url = new Uri("http://x/"), StreamId = StreamId }));
        Assert.Throws<ArgumentException>(() => new StreamSpectator(new StreamSpectatorOptions { Url = new Uri("ws://x/"), StreamId = new string('x', 256) }));
        Assert.Throws<ArgumentException>(() => new StreamSpectator(new StreamSpectatorOptions { Url = new Uri("ws://x/"), StreamId = StreamId, MaxInitialFragments = -1 }));
        Assert.Throws<ArgumentException>(() => new StreamSpectator(new StreamSpectatorOptions { Url = new Uri("ws://x/"), StreamId = StreamId, Token = new string('t', 1700) }));
    }
}
