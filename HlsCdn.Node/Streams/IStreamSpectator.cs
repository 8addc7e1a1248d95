namespace HlsCdn.Node.Streams;

/// <summary>A spectator of a <see cref="LiveStream"/>. Neither call may wait: they are made under the stream's locks.</summary>
public interface IStreamSpectator
{
    /// <summary>
    /// Queues a fragment for sending; never waits (a full queue applies the slow-spectator policy). An idle spectator's
    /// writer may run on the calling thread until its send would wait (a non-blocking send, never a wait).
    /// </summary>
    void Enqueue(Fragment fragment);

    /// <summary>The stream ended: send what is queued, then <c>CLOSE</c> (or an error for <see cref="LiveStreamEndReason.NodeShutdown"/>).</summary>
    void OnStreamEnded(LiveStreamEndReason reason);

    /// <summary>
    /// Called once, when it joins a stream, under the stream's lock and before any fragment is queued for it: it will be
    /// sent fragments from <paramref name="sequence"/> on.
    /// </summary>
    void JoinedAt(long sequence);

    /// <summary>
    /// The lowest fragment sequence this spectator may still send: from <see cref="JoinedAt"/>, one past the last
    /// fragment it finished sending, and <see cref="long.MaxValue"/> once it will send nothing more. The stream reuses
    /// a fragment's memory only when every spectator is past it; this is the spectator's own field, never a shared count.
    /// </summary>
    long LowestUnsentSequence { get; }

    /// <summary>Fragments sent to this spectator so far: its own count, which the stream sums when asked for stats.</summary>
    long FragmentsSent { get; }

    /// <summary>Fragment bytes sent to this spectator so far.</summary>
    long BytesSent { get; }
}
