using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HlsCdn.Node.Connections;

/// <summary>
/// The byte stream under one node WebSocket (the upgraded HTTP/1.1 connection, or the connection itself once handed
/// off to the session, see <see cref="ConnectionHandoff"/>). The framework's WebSocket reads
/// through it (client frames: unmasking, control frames, close handshake, UTF-8 checks) and writes its control frames
/// through it; the node writes its own prepared frames with <see cref="SendAsync"/>. Every write is serialised here,
/// so frames never interleave.
/// <para>
/// On a plain (non-TLS) connection, once the peer has sent anything (so the 101 answer has reached it), writes go
/// straight to the socket as one gather send of header and payload: no copy in user space. Otherwise (TLS, or
/// before the peer spoke) they go through Kestrel's upgraded stream.
/// </para>
/// </summary>
internal sealed class WebSocketTransport : Stream
{
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly Socket? _socket;
    private readonly Action _abort;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SocketGatherSender? _sender;
    private volatile bool _peerSpoke;
    private bool _wroteThroughStream;
    private long _sendStarted;

    /// <param name="input">What the peer sends: Kestrel's upgraded stream, or the handed-off connection's input.</param>
    /// <param name="output">Where frames go when not straight to the socket: the same upgraded stream, or the handed-off connection's output.</param>
    /// <param name="socket">The connection's socket when nothing (such as TLS) sits between it and the stream; else null.</param>
    /// <param name="abort">Aborts the underlying connection (fails a pending send).</param>
    /// <param name="time">The node's clock (for the stalled-send check).</param>
    public WebSocketTransport(Stream input, Stream output, Socket? socket, Action abort, TimeProvider time)
    {
        _input = input;
        _output = output;
        _socket = socket;
        _abort = abort;
        _time = time;
    }

    /// <summary>Whether writes go straight to the socket.</summary>
    public bool IsDirect => _socket is not null && _peerSpoke && !_wroteThroughStream;

    /// <summary>How long the send under way has been waiting for the peer; zero when none is.</summary>
    public TimeSpan SendPendingFor => Volatile.Read(ref _sendStarted) is var started and not 0 ? _time.GetElapsedTime(started) : TimeSpan.Zero;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Writes <paramref name="frames"/> (whole frames, or a frame header) then <paramref name="payload"/>, nothing in between.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frames, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteCoreAsync(frames, payload, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Drops the connection at once; a pending send fails.</summary>
    public void Abort()
    {
        try
        {
            _abort();
        }
        catch (ObjectDisposedException)
        {
            // The request (and with it the connection) has already ended.
        }
    }

    /// <summary>
    /// How to abort the connection under <paramref name="context"/>, captured while the request is live: the request's
    /// lifetime feature itself, which stays callable after the request ended (unlike <see cref="HttpContext.Abort"/>,
    /// which throws once the context's features are disposed).
    /// </summary>
    public static Action AbortOf(HttpContext context) =>
        context.Features.Get<IHttpRequestLifetimeFeature>() is { } lifetime ? lifetime.Abort : context.Abort;

    // Once the peer has spoken, reads go straight through (no state machine of this class per pending read).
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _peerSpoke ? _input.ReadAsync(buffer, cancellationToken) : ReadFirstAsync(buffer, cancellationToken);

    private async ValueTask<int> ReadFirstAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read > 0 && !_peerSpoke)
        {
            _peerSpoke = true;
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        SendAsync(buffer, default, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(offset, count), default, cancellationToken).AsTask();

    // Every write is flushed as it is made.
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are not supported.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous writes are not supported.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> frames, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _sendStarted, _time.GetTimestamp());
        try
        {
            if (IsDirect)
            {
                await (_sender ??= new SocketGatherSender()).SendAsync(_socket!, frames, payload).ConfigureAwait(false);
                return;
            }

            _wroteThroughStream = true;
            await _output.WriteAsync(frames, cancellationToken).ConfigureAwait(false);
            if (!payload.IsEmpty)
            {
                await _output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
            }

            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _sendStarted, 0);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            if (!ReferenceEquals(_output, _input))
            {
                _output.Dispose();
            }

            _sender?.Dispose();
            _writeLock.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _input.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(_output, _input))
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }

        _sender?.Dispose();
        _writeLock.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
