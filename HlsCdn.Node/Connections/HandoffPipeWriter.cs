using System.IO.Pipelines;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Kestrel's HTTP/1.1 view of a connection's output until the connection is handed off (see
/// <see cref="ConnectionHandoff"/>): every call goes to the transport's writer; afterwards whatever the HTTP side still
/// writes is dropped and completing does not end the connection (the WebSocket session writes the transport itself).
/// </summary>
internal sealed class HandoffPipeWriter(PipeWriter inner) : PipeWriter
{
    private volatile bool _handedOff;
    private byte[]? _discard;

    /// <summary>From now on the HTTP side no longer touches the transport.</summary>
    public void HandOff() => _handedOff = true;

    public override bool CanGetUnflushedBytes => !_handedOff && inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _handedOff ? 0 : inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        if (!_handedOff)
        {
            inner.Advance(bytes);
        }
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _handedOff ? Discard(sizeHint) : inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _handedOff ? Discard(sizeHint) : inner.GetSpan(sizeHint);

    public override void CancelPendingFlush()
    {
        if (!_handedOff)
        {
            inner.CancelPendingFlush();
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        _handedOff ? ValueTask.FromResult(default(FlushResult)) : inner.FlushAsync(cancellationToken);

    public override void Complete(Exception? exception = null)
    {
        if (!_handedOff)
        {
            inner.Complete(exception);
        }
    }

    public override ValueTask CompleteAsync(Exception? exception = null) =>
        _handedOff ? ValueTask.CompletedTask : inner.CompleteAsync(exception);

    // Kestrel writes nothing after the 101 it flushed before the hand-off; should it, the bytes land here.
    private byte[] Discard(int sizeHint)
    {
        var size = Math.Max(sizeHint, 256);
        return _discard is { } buffer && buffer.Length >= size ? buffer : _discard = new byte[size];
    }
}
