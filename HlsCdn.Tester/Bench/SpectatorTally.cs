using System.Diagnostics;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// What one spectator received: fragments delivered exactly, duplicates, out-of-order arrivals, corrupt ones, and the
/// latency of each (publisher's send start → whole fragment here). Fixed-size arrays allocated up front; one writer
/// (the spectator's receive loop), read by the progress line and at the end.
/// </summary>
public sealed class SpectatorTally
{
    private readonly ulong[] _seen;
    private readonly float[] _latencies;
    private int _delivered;
    private int _distinct;
    private int _highest = -1;

    /// <summary>
    /// Creates a tally for a run of <paramref name="expectedFragments"/> fragments (sequence 0 to n-1), keeping the
    /// latencies of the first <paramref name="latencyCapacity"/> delivered (default: all).
    /// </summary>
    public SpectatorTally(int expectedFragments, int? latencyCapacity = null)
    {
        ExpectedFragments = expectedFragments;
        _seen = new ulong[(expectedFragments + 63) / 64];
        _latencies = new float[Math.Min(latencyCapacity ?? expectedFragments, expectedFragments)];
    }

    /// <summary>Fragments the publisher sends.</summary>
    public int ExpectedFragments { get; }

    /// <summary>Fragments received exactly (valid header, every byte, right length), first copy of each.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Different sequence numbers received (exact or not).</summary>
    public int Distinct => Volatile.Read(ref _distinct);

    /// <summary>Sequence numbers received again.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Fragments that arrived after a later one.</summary>
    public int OutOfOrder { get; private set; }

    /// <summary>Fragments whose header, length or bytes differ from what was sent.</summary>
    public int Corrupt { get; private set; }

    /// <summary>Binary messages without an <c>F</c> before them, <c>F</c> without a binary, or other messages out of place.</summary>
    public int ProtocolErrors { get; private set; }

    /// <summary>The stream ended with <c>CLOSE</c>.</summary>
    public bool Closed { get; set; }

    /// <summary>An <c>E</c> message or a dropped connection, if the stream did not end with <c>CLOSE</c>.</summary>
    public string? Failure { get; set; }

    /// <summary>Fragments never received.</summary>
    public int Lost => ExpectedFragments - Distinct;

    /// <summary>The latencies in milliseconds, in arrival order.</summary>
    public ReadOnlySpan<float> Latencies => _latencies.AsSpan(0, Math.Min(Delivered, _latencies.Length));

    /// <summary>Records a protocol error.</summary>
    public void RecordProtocolError() => ProtocolErrors++;

    /// <summary>Records one received fragment, checked by <paramref name="reader"/>, complete at <paramref name="receivedAt"/>.</summary>
    public void Record(FragmentReader reader, long receivedAt)
    {
        var sequence = reader.Sequence;
        if (!reader.HeaderValid || sequence >= ExpectedFragments)
        {
            Corrupt++;
            return;
        }

        ref var word = ref _seen[sequence >> 6];
        var bit = 1UL << (sequence & 63);
        if ((word & bit) != 0)
        {
            Duplicates++;
            return;
        }

        word |= bit;
        Volatile.Write(ref _distinct, _distinct + 1);
        if (sequence < _highest)
        {
            OutOfOrder++;
        }

        _highest = Math.Max(_highest, sequence);
        if (!reader.IsExact)
        {
            Corrupt++;
            return;
        }

        if (_delivered < _latencies.Length)
        {
            _latencies[_delivered] = (float)Stopwatch.GetElapsedTime(reader.Timestamp, receivedAt).TotalMilliseconds;
        }

        Volatile.Write(ref _delivered, _delivered + 1);
    }
}
