using System.Net.WebSockets;
using System.Text;
using HlsCdn.Protocol;

namespace HlsCdn.Node.Tests;

/// <summary>A protocol peer that speaks only protocol.md over a plain <see cref="ClientWebSocket"/>: what any other-language client would do.</summary>
public sealed class RawPeer : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly byte[] _buffer = new byte[1 << 16];

    private RawPeer(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<RawPeer> ConnectAsync(Uri url, int receiveBufferSize = 0)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (receiveBufferSize > 0)
        {
            socket.Options.SetBuffer(receiveBufferSize, 4096);
        }

        using var cts = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(url, cts.Token);
        return new RawPeer(socket);
    }

    public static async Task<RawPeer> PushAsync(Uri url, string stream, string? token = null)
    {
        var peer = await ConnectAsync(url);
        await peer.SendTextAsync(Messages.Push(stream, token));
        Assert.Equal("OK", (await peer.ReceiveAsync()).Text);
        return peer;
    }

    public static async Task<RawPeer> PullAsync(Uri url, string stream, string? token = null, int? maxInitialFragments = null, bool onlySource = false)
    {
        var peer = await ConnectAsync(url);
        await peer.SendTextAsync(Messages.Pull(stream, token, onlySource, maxInitialFragments));
        Assert.Equal("OK", (await peer.ReceiveAsync()).Text);
        return peer;
    }

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        Socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    public async Task SendFragmentAsync(byte[] data, double duration = 1)
    {
        await SendTextAsync(Messages.Fragment(duration));
        await SendBinaryAsync(data);
    }

    /// <summary>Next message; <see cref="Received.IsClose"/> when the node closed (close frame or dropped connection).</summary>
    public async Task<Received> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(_buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new Received(true, null, null, result.CloseStatus);
                }

                message.Write(_buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return result.MessageType == WebSocketMessageType.Text
                        ? new Received(false, Encoding.UTF8.GetString(message.ToArray()), null, null)
                        : new Received(false, null, message.ToArray(), null);
                }
            }
        }
        catch (WebSocketException)
        {
            return new Received(true, null, null, null);
        }
    }

    /// <summary>Reads one fragment: <c>F:duration=D</c> then its binary message.</summary>
    public async Task<(double Duration, byte[] Data)> ReceiveFragmentAsync(TimeSpan? timeout = null)
    {
        var header = await ReceiveAsync(timeout);
        Assert.NotNull(header.Text);
        var message = ProtocolMessage.Parse(header.Text);
        Assert.Equal("F", message.Type);
        Assert.True(ProtocolMessage.TryParseDuration(message.Get("duration"), out var duration));
        var body = await ReceiveAsync(timeout);
        Assert.NotNull(body.Data);
        return (duration, body.Data);
    }

    /// <summary>Expects <c>E</c> with <paramref name="code"/>, then the connection's end.</summary>
    public async Task ExpectErrorAsync(string code)
    {
        var received = await ReceiveAsync();
        Assert.NotNull(received.Text);
        var message = ProtocolMessage.Parse(received.Text);
        Assert.Equal("E", message.Type);
        Assert.Equal(code, message.Get("code"));
        Assert.False(string.IsNullOrEmpty(message.Get("message")));
        await ExpectEndAsync();
    }

    /// <summary>Expects <c>CLOSE</c>, then the connection's end.</summary>
    public async Task ExpectCloseAsync(TimeSpan? timeout = null)
    {
        var received = await ReceiveAsync(timeout);
        Assert.Equal("CLOSE", received.Text);
        await ExpectEndAsync(timeout);
    }

    public async Task<WebSocketCloseStatus?> ExpectEndAsync(TimeSpan? timeout = null)
    {
        var received = await ReceiveAsync(timeout);
        Assert.True(received.IsClose, $"expected the connection to end, got {received}");
        return received.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        Socket.Dispose();
    }

    public readonly record struct Received(bool IsClose, string? Text, byte[]? Data, WebSocketCloseStatus? CloseStatus);
}
