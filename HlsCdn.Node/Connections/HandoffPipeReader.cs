using System.IO.Pipelines;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Kestrel's HTTP/1.1 view of a connection's input until the connection is handed off (see
/// <see cref="ConnectionHandoff"/>): every call goes to the transport's reader; afterwards the HTTP side sees an
/// input that has ended and can no longer consume, cancel or complete anything (the WebSocket session reads the
/// transport itself).
/// </summary>
internal sealed class HandoffPipeReader(PipeReader inner) : PipeReader
{
    private static readonly ReadResult Ended = new(default, isCanceled: false, isCompleted: true);

    private volatile bool _handedOff;

    /// <summary>From now on the HTTP side no longer touches the transport.</summary>
    public void HandOff() => _handedOff = true;

    public override void AdvanceTo(SequencePosition consumed)
    {
        if (!_handedOff)
        {
            inner.AdvanceTo(consumed);
        }
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!_handedOff)
        {
            inner.AdvanceTo(consumed, examined);
        }
    }

    public override void CancelPendingRead()
    {
        if (!_handedOff)
        {
            inner.CancelPendingRead();
        }
    }

    public override void Complete(Exception? exception = null)
    {
        if (!_handedOff)
        {
            inner.Complete(exception);
        }
    }

    public override ValueTask CompleteAsync(Exception? exception = null) =>
        _handedOff ? ValueTask.CompletedTask : inner.CompleteAsync(exception);

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        _handedOff ? ValueTask.FromResult(Ended) : inner.ReadAsync(cancellationToken);

    public override bool TryRead(out ReadResult result)
    {
        if (_handedOff)
        {
            result = Ended;
            return true;
        }

        return inner.TryRead(out result);
    }
}
