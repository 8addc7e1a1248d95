using System.Net.WebSockets;
using HlsCdn.Node.Configuration;
using HlsCdn.Protocol;

namespace HlsCdn.Node.Tests;

public sealed class ErrorCaseTests
{
    [Theory]
    [InlineData("HELLO")]
    [InlineData("H")]
    [InlineData("F:duration=1")]
    [InlineData("OK")]
    [InlineData("CLOSE")]
    [InlineData("bad type!")]
    [InlineData("PUSH")]
    [InlineData("PULL:auth=x")]
    [InlineData("PULL:stream=a&max_initial_fragments=-1")]
    [InlineData("PULL:stream=a&max_initial_fragments=ten")]
    public async Task Bad_first_messages_are_protocol_errors(string first)
    {
        await using var node = await TestNode.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendTextAsync(first);
        await peer.ExpectErrorAsync(ErrorCodes.ProtocolError);
    }

    [Theory]
    [InlineData("H")]
    [InlineData("F:duration=1")]
    [InlineData("CLOSE")]
    [InlineData("PUSH:stream=x")]
    public async Task Text_message_between_F_and_its_fragment_is_a_protocol_error_and_ends_the_stream(string between)
    {
        await using var node = await TestNode.StartAsync();
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await publisher.SendFragmentAsync([1, 2, 3]);
        Assert.Equal([1, 2, 3], (await spectator.ReceiveFragmentAsync()).Data);

        await publisher.SendTextAsync("F:duration=1");
        await publisher.SendTextAsync(between);
        await publisher.ExpectErrorAsync(ErrorCodes.ProtocolError);
        await spectator.ExpectCloseAsync();
    }

    [Fact]
    public async Task Binary_first_message_is_a_protocol_error()
    {
        await using var node = await TestNode.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendBinaryAsync(new byte[100]);
        await peer.ExpectErrorAsync(ErrorCodes.ProtocolError);
    }

    [Fact]
    public async Task Stream_id_over_255_characters_is_refused()
    {
        await using var node = await TestNode.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendTextAsync(Messages.Push(new string('x', 256), null));
        await peer.ExpectErrorAsync(ErrorCodes.ProtocolError);
    }

    [Fact]
    public async Task Text_message_over_1600_bytes_closes_with_1009_and_no_E()
    {
        await using var node = await TestNode.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendTextAsync("PULL:stream=" + new string('a', 1600));
        var received = await peer.ReceiveAsync();
        Assert.True(received.IsClose, $"expected a close, got {received}");
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, received.CloseStatus);
    }

    [Fact]
    public async Task Text_message_over_1600_bytes_from_a_publisher_closes_with_1009()
    {
        await using var node = await TestNode.StartAsync();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, TestData.StreamId());
        await publisher.SendTextAsync("F:duration=1&pad=" + new string('a', 1700));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await publisher.ExpectEndAsync());
    }

    [Fact]
    public async Task Binary_without_F_is_a_protocol_error()
    {
        await using var node = await TestNode.StartAsync();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, TestData.StreamId());
        await publisher.SendBinaryAsync([1, 2, 3]);
        await publisher.ExpectErrorAsync(ErrorCodes.ProtocolError);
    }

    [Theory]
    [InlineData("F")]
    [InlineData("F:duration=0")]
    [InlineData("F:duration=-1")]
    [InlineData("F:duration=abc")]
    [InlineData("F:duration=NaN")]
    [InlineData("F:duration=Infinity")]
    public async Task Bad_fragment_metadata_is_refused(string header)
    {
        await using var node = await TestNode.StartAsync();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, TestData.StreamId());
        await publisher.SendTextAsync(header);
        await publisher.ExpectErrorAsync(ErrorCodes.FragmentMetadataError);
    }

    [Fact]
    public async Task Empty_fragment_is_a_protocol_error()
    {
        await using var node = await TestNode.StartAsync();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, TestData.StreamId());
        await publisher.SendTextAsync("F:duration=1");
        await publisher.SendBinaryAsync([]);
        await publisher.ExpectErrorAsync(ErrorCodes.ProtocolError);
    }

    [Fact]
    public async Task F_followed_by_text_instead_of_binary_is_a_protocol_error()
    {
        await using var node = await TestNode.StartAsync();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, TestData.StreamId());
        await publisher.SendTextAsync("F:duration=1");
        await publisher.SendTextAsync("F:duration=1");
        await publisher.ExpectErrorAsync(ErrorCodes.ProtocolError);
    }

    [Fact]
    public async Task Fragment_over_the_size_limit_is_refused_and_ends_the_stream()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(("Node:MaxBinaryMessageSize", "10000")));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await publisher.SendFragmentAsync(new byte[10000]);
        Assert.Equal(10000, (await spectator.ReceiveFragmentAsync()).Data.Length);
        await publisher.SendTextAsync("F:duration=1");
        await publisher.SendBinaryAsync(new byte[10001]);
        await publisher.ExpectErrorAsync(ErrorCodes.FragmentTooLarge);
        await spectator.ExpectCloseAsync();
    }

    [Fact]
    public async Task Spectator_sending_a_fragment_is_a_protocol_error()
    {
        await using var node = await TestNode.StartAsync();
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        await spectator.SendBinaryAsync([1]);
        await spectator.ExpectErrorAsync(ErrorCodes.ProtocolError);
    }

    [Fact]
    public async Task Push_is_refused_where_push_is_disabled()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(("Node:PushAllowed", "false")));
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendTextAsync(Messages.Push(TestData.StreamId(), null));
        await peer.ExpectErrorAsync(ErrorCodes.PushNotAllowed);
    }

    [Fact]
    public async Task Edge_role_never_accepts_push()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(("Node:PushAllowed", "true")), NodeRole.Edge);
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendTextAsync(Messages.Push(TestData.StreamId(), null));
        await peer.ExpectErrorAsync(ErrorCodes.PushNotAllowed);
    }

    [Fact]
    public async Task No_first_message_within_the_deadline_gets_E_and_close()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(("Node:FirstMessageTimeout", "00:00:00.300")));
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.ExpectErrorAsync(ErrorCodes.ProtocolError);
    }

    [Fact]
    public async Task Idle_connections_get_heartbeats_then_are_closed_when_silent()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(
            ("Node:HeartbeatInterval", "00:00:00.200"),
            ("Node:IdleTimeout", "00:00:01.500")));
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream);
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream);
        Assert.Equal("H", (await spectator.ReceiveAsync()).Text);
        Assert.Equal("H", (await publisher.ReceiveAsync()).Text);

        // The spectator stays silent: after the idle timeout the node closes it, but heartbeats keep the publisher.
        var publisherAlive = Task.Run(
            async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                await publisher.SendTextAsync("H");
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        },
            TestContext.Current.CancellationToken);
        RawPeer.Received received;
        do
        {
            received = await spectator.ReceiveAsync();
        }
        while (received.Text == "H");
        Assert.True(received.IsClose);
        await publisherAlive;
        Assert.Equal(WebSocketState.Open, publisher.Socket.State);
    }

    [Fact]
    public async Task Non_upgrade_GET_root_answers_200_with_the_banner()
    {
        await using var node = await TestNode.StartAsync();
        using var http = new HttpClient();
        var response = await http.GetAsync(node.HttpUrl, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK - HLS Websocket CDN", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        foreach (var path in new[] { "health", "alive" })
        {
            var health = await http.GetAsync(new Uri(node.HttpUrl, path), TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task WebSocket_prefix_moves_the_endpoint()
    {
        await using var node = await TestNode.StartAsync(TestData.Settings(("Node:WebSocketPath", "/ws")));
        await using var spectator = await RawPeer.PullAsync(new Uri(node.WebSocketUrl, "ws"), "x");
        await spectator.ExpectCloseAsync();
        using var http = new HttpClient();
        Assert.Equal("OK - HLS Websocket CDN", await http.GetStringAsync(node.HttpUrl, TestContext.Current.CancellationToken));
        var inside = await http.GetAsync(new Uri(node.HttpUrl, "ws"), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, inside.StatusCode);
    }
}
