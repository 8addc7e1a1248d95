using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HlsCdn.Node.Tests;

/// <summary>
/// A WebSocket client written by hand over a <see cref="TcpClient"/>, for hostile input: it can stop anywhere in the
/// HTTP handshake, send frames that lie about their length, unmasked or reserved frames, invalid UTF-8, and cut TCP.
/// </summary>
internal sealed class RawTcpWebSocket : IAsyncDisposable
{
    public const int OpContinuation = 0x0, OpText = 0x1, OpBinary = 0x2, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;
    private static readonly byte[] Mask = [0x37, 0xfa, 0x21, 0x3d];
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[1 << 17];
    private int _start;
    private int _end;

    private RawTcpWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawTcpWebSocket> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        return new RawTcpWebSocket(tcp);
    }

    public static string UpgradeRequest(string path = "/") =>
        $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    /// <summary>Sends the upgrade request and reads the response head; returns the status code (0 when the node hung up).</summary>
    public async Task<int> UpgradeAsync(TimeSpan timeout)
    {
        await SendRawAsync(Encoding.ASCII.GetBytes(UpgradeRequest()));
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var head = Encoding.ASCII.GetString(_buffer, _start, _end - _start);
            var endOfHead = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (endOfHead >= 0)
            {
                _start += endOfHead + 4;
                var parts = head.Split(' ', 3);
                return parts.Length > 1 && int.TryParse(parts[1], out var status) ? status : -1;
            }

            if (!await FillAsync(cts.Token))
            {
                return 0;
            }
        }
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The node may already have hung up on us: that is an outcome, not a test failure.
        }
    }

    /// <summary>Encodes one client frame; <paramref name="declaredLength"/> may lie about the payload.</summary>
    public static byte[] Frame(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true, int rsv = 0, long? declaredLength = null)
    {
        var length = declaredLength ?? payload.Length;
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xF)) };
        var maskBit = masked ? 0x80 : 0;
        if (length < 126)
        {
            header.Add((byte)(maskBit | (int)length));
        }
        else if (length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(length >> 8));
            header.Add((byte)length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var ext = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(ext, length);
            header.AddRange(ext);
        }

        if (masked)
        {
            header.AddRange(Mask);
        }

        var frame = new byte[header.Count + payload.Length];
        header.CopyTo(frame);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header.Count + i] = masked ? (byte)(payload[i] ^ Mask[i % 4]) : payload[i];
        }

        return frame;
    }

    public Task SendFrameAsync(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true, int rsv = 0) =>
        SendRawAsync(Frame(opcode, payload, fin, masked, rsv));

    public Task SendTextAsync(string text) => SendFrameAsync(OpText, Encoding.UTF8.GetBytes(text));

    public Task SendCloseAsync() => SendFrameAsync(OpClose, [0x03, 0xE8]);

    /// <summary>The next frame from the node, or null when it hung up (or sent something unreadable).</summary>
    public async Task<(int Opcode, byte[] Payload)?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(2, cancellationToken))
        {
            return null;
        }

        var opcode = _buffer[_start] & 0xF;
        long length = _buffer[_start + 1] & 0x7F;
        var headerLength = 2;
        if (length == 126)
        {
            if (!await EnsureAsync(4, cancellationToken))
            {
                return null;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2));
            headerLength = 4;
        }
        else if (length == 127)
        {
            if (!await EnsureAsync(10, cancellationToken))
            {
                return null;
            }

            length = BinaryPrimitives.ReadInt64BigEndian(_buffer.AsSpan(_start + 2));
            headerLength = 10;
        }

        if (length > _buffer.Length - headerLength)
        {
            return null;
        }

        if (!await EnsureAsync(headerLength + (int)length, cancellationToken))
        {
            return null;
        }

        var payload = _buffer.AsSpan(_start + headerLength, (int)length).ToArray();
        _start += headerLength + (int)length;
        return (opcode, payload);
    }

    /// <summary>
    /// Reads until the node ends the connection and describes what it said: <c>E:CODE</c> / <c>OK</c> / <c>OK+CLOSE</c> /
    /// <c>-</c>, then how it ended: <c>close:NNNN</c> (close frame, answered), <c>eof</c> (dropped) or <c>hang</c>.
    /// </summary>
    public async Task<string> ReadOutcomeAsync(TimeSpan timeout, bool stopAtOk = false)
    {
        using var cts = new CancellationTokenSource(timeout);
        var said = "-";
        try
        {
            while (true)
            {
                var frame = await ReadFrameAsync(cts.Token);
                if (frame is null)
                {
                    return said + "/eof";
                }

                var (opcode, payload) = frame.Value;
                if (opcode == OpClose)
                {
                    var code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005;
                    await SendCloseAsync();
                    return $"{said}/close:{code}";
                }

                if (opcode == OpText)
                {
                    var text = Encoding.UTF8.GetString(payload);
                    if (text.StartsWith("E:", StringComparison.Ordinal))
                    {
                        var code = HlsCdn.Protocol.ProtocolMessage.Parse(text).Get("code");
                        said = "E:" + code;
                    }
                    else if (text == "OK")
                    {
                        said = "OK";
                        if (stopAtOk)
                        {
                            return "OK/open";
                        }
                    }
                    else if (text == "CLOSE")
                    {
                        said += "+CLOSE";
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return said + "/hang";
        }
    }

    /// <summary>Cuts the connection: with <paramref name="reset"/> a TCP RST, else a FIN.</summary>
    public void Drop(bool reset)
    {
        if (reset)
        {
            _tcp.Client.LingerState = new LingerOption(true, 0);
        }

        _tcp.Close();
    }

    private async Task<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (!await FillAsync(cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            return false;
        }

        try
        {
            var n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += n;
            return n > 0;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
