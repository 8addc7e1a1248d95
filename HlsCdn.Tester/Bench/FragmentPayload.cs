using System.Buffers.Binary;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// The bench's fragment payload: a 24-byte header (magic, sequence number, send timestamp, length) and then a
/// deterministic pattern shifted by the sequence number, so a spectator checks every byte with a vectorised compare
/// against one shared array (no copy, no allocation) and a fragment delivered in place of another does not match.
/// </summary>
public sealed class FragmentPayload
{
    /// <summary>Header length: magic (4), sequence (4), <see cref="System.Diagnostics.Stopwatch"/> timestamp (8), length (4), reserved (4).</summary>
    public const int HeaderBytes = 24;

    /// <summary>"HCB1", little endian.</summary>
    public const uint Magic = 0x31424348;

    private const int ShiftModulus = 251;

    private readonly byte[] _pattern;

    /// <summary>Creates the pattern for fragments of <paramref name="size"/> bytes.</summary>
    public FragmentPayload(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, HeaderBytes);
        Size = size;
        _pattern = new byte[size + ShiftModulus];
        var state = 0x9E3779B9u;
        for (var i = 0; i < _pattern.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            _pattern[i] = (byte)state;
        }
    }

    /// <summary>Bytes per fragment.</summary>
    public int Size { get; }

    /// <summary>Writes fragment <paramref name="sequence"/>'s body (everything but the header) into <paramref name="payload"/>.</summary>
    public void WriteBody(Span<byte> payload, int sequence) =>
        _pattern.AsSpan(Shift(sequence) + HeaderBytes, Size - HeaderBytes).CopyTo(payload[HeaderBytes..Size]);

    /// <summary>Writes the header; the timestamp is taken by the caller just before the send starts.</summary>
    public void WriteHeader(Span<byte> payload, int sequence, long timestamp)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(payload, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(payload[4..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[8..], timestamp);
        BinaryPrimitives.WriteInt32LittleEndian(payload[16..], Size);
        BinaryPrimitives.WriteInt32LittleEndian(payload[20..], 0);
    }

    /// <summary>Reads a received header; false when it is not one of ours (wrong magic, length or reserved bytes).</summary>
    public bool TryReadHeader(ReadOnlySpan<byte> header, out int sequence, out long timestamp)
    {
        sequence = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        timestamp = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        return BinaryPrimitives.ReadUInt32LittleEndian(header) == Magic
            && BinaryPrimitives.ReadInt32LittleEndian(header[16..]) == Size
            && BinaryPrimitives.ReadInt32LittleEndian(header[20..]) == 0
            && sequence >= 0;
    }

    /// <summary>
    /// Checks received body bytes: <paramref name="chunk"/> holds the payload bytes at <paramref name="offset"/>
    /// (≥ <see cref="HeaderBytes"/>) of fragment <paramref name="sequence"/>.
    /// </summary>
    public bool BodyMatches(ReadOnlySpan<byte> chunk, int offset, int sequence) =>
        offset + chunk.Length <= Size && chunk.SequenceEqual(_pattern.AsSpan(Shift(sequence) + offset, chunk.Length));

    private static int Shift(int sequence) => sequence % ShiftModulus;
}
