using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HlsCdn.Benchmarks;

/// <summary>
/// A spectator on a bare socket: the WebSocket handshake and its <c>PULL</c> written by hand, then a loop that reads
/// and discards, counting bytes. Nothing of it allocates per message, so the memory diagnoser sees the node's cost.
/// </summary>
internal sealed class RawSpectator : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private long _received;

    private RawSpectator(Socket socket) => _socket = socket;

    /// <summary>Bytes read since the handshake's answer.</summary>
    public long Received => Volatile.Read(ref _received);

    public static async Task<RawSpectator> ConnectAsync(int port, string stream)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).ConfigureAwait(false);
        var request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request)).ConfigureAwait(false);
        var spectator = new RawSpectator(socket);
        await spectator.ReadUntilAsync("\r\n\r\n"u8.ToArray()).ConfigureAwait(false);

        // A masked text frame (mask 0: the payload is sent as is).
        var pull = Encoding.UTF8.GetBytes($"PULL:stream={Uri.EscapeDataString(stream)}&max_initial_fragments=0");
        await socket.SendAsync((byte[])[0x81, (byte)(0x80 | pull.Length), 0, 0, 0, 0, .. pull]).ConfigureAwait(false);
        _ = spectator.DrainAsync();
        return spectator;
    }

    private async Task ReadUntilAsync(byte[] end)
    {
        var count = 0;
        while (count < 4 || !_buffer.AsSpan(count - end.Length, end.Length).SequenceEqual(end))
        {
            count += await _socket.ReceiveAsync(_buffer.AsMemory(count, 1)).ConfigureAwait(false);
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(_buffer.AsMemory()).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                Interlocked.Add(ref _received, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _socket.Dispose();
}
