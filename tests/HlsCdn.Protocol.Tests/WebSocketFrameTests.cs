using System.Net.WebSockets;
using System.Text;

namespace HlsCdn.Protocol.Tests;

public class WebSocketFrameTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x82, 0 })]
    [InlineData(125, new byte[] { 0x82, 125 })]
    [InlineData(126, new byte[] { 0x82, 126, 0, 126 })]
    [InlineData(65535, new byte[] { 0x82, 126, 0xFF, 0xFF })]
    [InlineData(65536, new byte[] { 0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0 })]
    public void Header_uses_the_shortest_length_encoding(long length, byte[] expected)
    {
        var header = new byte[WebSocketFrame.MaxHeaderLength];
        var written = WebSocketFrame.WriteHeader(header, WebSocketFrame.BinaryOpcode, length);
        Assert.Equal(expected, header[..written]);
        Assert.Equal(written, WebSocketFrame.HeaderLength(length));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(200)]
    [InlineData(70_000)]
    public async Task Prepared_frames_read_back_through_the_framework_websocket_as_F_then_its_fragment(int size)
    {
        var payload = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
        using var wire = new MemoryStream();
        wire.Write(WebSocketFrame.TextThenBinaryHeader("F:duration=1.5", payload.Length));
        wire.Write(payload);
        wire.Write(WebSocketFrame.Text("CLOSE"));
        wire.Position = 0;

        using var client = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        using var reader = new ProtocolMessageReader(client, maxBinaryBytes: 1 << 20);
        var f = await reader.ReceiveAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ReceivedMessageKind.Text, f.Kind);
        Assert.Equal("F", f.Message!.Type);
        Assert.Equal("1.5", f.Message.Get("duration"));
        var data = await reader.ReceiveAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ReceivedMessageKind.Binary, data.Kind);
        Assert.Equal(payload, data.Payload.ToArray());
        Assert.Equal("CLOSE", (await reader.ReceiveAsync(cancellationToken: TestContext.Current.CancellationToken)).Message!.Type);
    }

    [Fact]
    public void Text_frame_carries_utf8()
    {
        var frame = WebSocketFrame.Text("E:code=X&message=é");
        Assert.Equal(0x81, frame[0]);
        Assert.Equal(frame.Length - 2, frame[1]);
        Assert.Equal("E:code=X&message=é", Encoding.UTF8.GetString(frame, 2, frame.Length - 2));
    }
}
