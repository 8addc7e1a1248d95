using System.Net.WebSockets;

namespace HlsCdn.Protocol.Tests;

public class ProtocolMessageReaderTests
{
    // Frames as a server writes them (unmasked), read by a client-side framework WebSocket through the reader.
    private static ProtocolMessageReader Reader(byte[] wire, out WebSocket socket, int maxBinary = 1000)
    {
        socket = WebSocket.CreateFromStream(new MemoryStream(wire), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        return new ProtocolMessageReader(socket, maxBinary, initialBufferBytes: 16);
    }

    private static byte[] Frame(byte first, byte[] payload)
    {
        var header = new byte[WebSocketFrame.MaxHeaderLength];
        var n = WebSocketFrame.WriteHeader(header, 0, payload.Length);
        header[0] = first;
        return [.. header[..n], .. payload];
    }

    private static byte[] Text(string text) => WebSocketFrame.Text(text);

    private static byte[] Binary(int size) => Frame(0x82, new byte[size]);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_text_and_binary_messages_growing_its_buffer()
    {
        using var reader = Reader([.. Text("PULL:stream=" + new string('a', 500)), .. Binary(900)], out var socket);
        using (socket)
        {
            var pull = await reader.ReceiveAsync(cancellationToken: Token);
            Assert.Equal(ReceivedMessageKind.Text, pull.Kind);
            Assert.Equal(500, pull.Message!.Get("stream")!.Length);
            var binary = await reader.ReceiveAsync(cancellationToken: Token);
            Assert.Equal(ReceivedMessageKind.Binary, binary.Kind);
            Assert.Equal(900, binary.Payload.Length);
        }
    }

    [Fact]
    public async Task Assembles_a_message_sent_in_continuation_frames()
    {
        // "F:dur" (text, not final) + "ation=2" (continuation, final).
        using var reader = Reader([.. Frame(0x01, "F:dur"u8.ToArray()), .. Frame(0x80, "ation=2"u8.ToArray())], out var socket);
        using (socket)
        {
            var message = await reader.ReceiveAsync(cancellationToken: Token);
            Assert.Equal("2", message.Message!.Get("duration"));
        }
    }

    [Fact]
    public async Task Text_over_1600_bytes_is_too_big()
    {
        using var reader = Reader(Text("H:" + new string('x', ProtocolLimits.MaxTextMessageBytes)), out var socket);
        using (socket)
        {
            Assert.Equal(ReceivedMessageKind.TextTooBig, (await reader.ReceiveAsync(cancellationToken: Token)).Kind);
        }
    }

    [Fact]
    public async Task Binary_over_the_limit_is_too_big_and_refused_where_not_allowed()
    {
        using var reader = Reader([.. Binary(1001), .. Binary(10)], out var socket, maxBinary: 1000);
        using (socket)
        {
            Assert.Equal(ReceivedMessageKind.BinaryTooBig, (await reader.ReceiveAsync(cancellationToken: Token)).Kind);
        }

        using var refusing = Reader(Binary(10), out var other);
        using (other)
        {
            Assert.Equal(ReceivedMessageKind.UnexpectedBinary, (await refusing.ReceiveAsync(allowBinary: false, Token)).Kind);
        }
    }

    [Fact]
    public async Task Malformed_text_and_close_are_reported()
    {
        using var reader = Reader([.. Text("bad type!"), .. Frame(0x88, [0x03, 0xE8])], out var socket);
        using (socket)
        {
            Assert.Equal(ReceivedMessageKind.MalformedText, (await reader.ReceiveAsync(cancellationToken: Token)).Kind);
            Assert.Equal(ReceivedMessageKind.Closed, (await reader.ReceiveAsync(cancellationToken: Token)).Kind);
        }
    }
}
