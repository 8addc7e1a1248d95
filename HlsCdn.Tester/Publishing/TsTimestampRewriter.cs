namespace HlsCdn.Tester.Publishing;

/// <summary>
/// Shifts every timestamp of an MPEG-TS buffer by a constant: the PTS and DTS in PES headers (90 kHz) and the PCR in
/// adaptation fields (27 MHz, shifted by the same 90 kHz amount on its base), modulo 2^33 as the format wraps.
/// Used to loop a pre-encoded clip so that players see one unbroken stream. Continuity counters are left alone: each
/// HLS fragment is demuxed on its own and players do not check them across fragments.
/// </summary>
public static class TsTimestampRewriter
{
    /// <summary>Size of one transport stream packet.</summary>
    public const int PacketSize = 188;

    /// <summary>Timestamps wrap at 2^33 ticks of 90 kHz (about 26.5 hours).</summary>
    public const long TimestampModulus = 1L << 33;

    /// <summary>Ticks per second of PTS, DTS and the PCR base.</summary>
    public const int ClockRate = 90_000;

    private const byte SyncByte = 0x47;

    /// <summary>Adds <paramref name="offset90k"/> to every PTS, DTS and PCR base in <paramref name="ts"/>, in place.</summary>
    /// <exception cref="FormatException">The buffer is not a whole number of packets that each start with the sync byte.</exception>
    public static void Shift(Span<byte> ts, long offset90k)
    {
        CheckPackets(ts);
        offset90k = Wrap(offset90k);
        for (var start = 0; start < ts.Length; start += PacketSize)
        {
            ShiftPacket(ts.Slice(start, PacketSize), offset90k);
        }
    }

    /// <summary>Reads every timestamp of <paramref name="ts"/> in packet order (for tests and diagnostics).</summary>
    public static IReadOnlyList<TsTimestamp> ReadTimestamps(ReadOnlySpan<byte> ts)
    {
        CheckPackets(ts);
        var found = new List<TsTimestamp>();
        for (var start = 0; start < ts.Length; start += PacketSize)
        {
            var packet = ts.Slice(start, PacketSize);
            var pid = ((packet[1] & 0x1F) << 8) | packet[2];
            var layout = Locate(packet);
            if (layout.PcrAt >= 0)
            {
                found.Add(new TsTimestamp(pid, TsTimestampKind.Pcr, ReadPcrBase(packet[layout.PcrAt..]), 0));
            }

            if (layout.PtsAt >= 0)
            {
                found.Add(new TsTimestamp(pid, TsTimestampKind.Pts, ReadPesTimestamp(packet[layout.PtsAt..]), layout.StreamId));
            }

            if (layout.DtsAt >= 0)
            {
                found.Add(new TsTimestamp(pid, TsTimestampKind.Dts, ReadPesTimestamp(packet[layout.DtsAt..]), layout.StreamId));
            }
        }

        return found;
    }

    /// <summary>Reduces a tick count into [0, 2^33).</summary>
    public static long Wrap(long ticks) => ((ticks % TimestampModulus) + TimestampModulus) % TimestampModulus;

    private static void CheckPackets(ReadOnlySpan<byte> ts)
    {
        if (ts.Length % PacketSize != 0)
        {
            throw new FormatException($"MPEG-TS data must be a multiple of {PacketSize} bytes (got {ts.Length}).");
        }

        for (var start = 0; start < ts.Length; start += PacketSize)
        {
            if (ts[start] != SyncByte)
            {
                throw new FormatException($"No MPEG-TS sync byte at offset {start}.");
            }
        }
    }

    private static void ShiftPacket(Span<byte> packet, long offset)
    {
        var layout = Locate(packet);
        if (layout.PcrAt >= 0)
        {
            var pcr = packet[layout.PcrAt..];
            WritePcrBase(pcr, Wrap(ReadPcrBase(pcr) + offset));
        }

        if (layout.PtsAt >= 0)
        {
            var pts = packet[layout.PtsAt..];
            WritePesTimestamp(pts, Wrap(ReadPesTimestamp(pts) + offset));
        }

        if (layout.DtsAt >= 0)
        {
            var dts = packet[layout.DtsAt..];
            WritePesTimestamp(dts, Wrap(ReadPesTimestamp(dts) + offset));
        }
    }

    /// <summary>Finds where the PCR, PTS and DTS of one packet are (-1 when absent).</summary>
    private static Layout Locate(ReadOnlySpan<byte> packet)
    {
        var layout = new Layout(-1, -1, -1, 0);
        var payloadUnitStart = (packet[1] & 0x40) != 0;
        var adaptation = (packet[3] >> 4) & 0x3;
        var payloadAt = 4;
        if ((adaptation & 0x2) != 0)
        {
            int length = packet[4];
            payloadAt = 5 + length;
            if (payloadAt > PacketSize)
            {
                return layout;
            }

            // PCR_flag; the PCR is the first field after the flags byte.
            if (length >= 7 && (packet[5] & 0x10) != 0)
            {
                layout = layout with { PcrAt = 6 };
            }
        }

        if ((adaptation & 0x1) == 0 || !payloadUnitStart || payloadAt + 14 > PacketSize)
        {
            return layout;
        }

        var pes = packet[payloadAt..];
        if (pes[0] != 0 || pes[1] != 0 || pes[2] != 1 || !HasOptionalHeader(pes[3]))
        {
            return layout;
        }

        var flags = (pes[7] >> 6) & 0x3;
        if (flags is 2 or 3)
        {
            layout = layout with { PtsAt = payloadAt + 9, StreamId = pes[3] };
        }

        if (flags == 3 && payloadAt + 19 <= PacketSize)
        {
            layout = layout with { DtsAt = payloadAt + 14 };
        }

        return layout;
    }

    // Stream ids whose PES packets have no optional header (ISO/IEC 13818-1, 2.4.3.7).
    private static bool HasOptionalHeader(byte streamId) =>
        streamId is not (0xBC or 0xBE or 0xBF or 0xF0 or 0xF1 or 0xF2 or 0xF8 or 0xFF);

    private static long ReadPesTimestamp(ReadOnlySpan<byte> b) =>
        ((long)((b[0] >> 1) & 0x07) << 30) | ((long)b[1] << 22) | ((long)(b[2] >> 1) << 15) | ((long)b[3] << 7) | ((long)b[4] >> 1);

    private static void WritePesTimestamp(Span<byte> b, long value)
    {
        // Keep the 4-bit prefix ('0010', '0011' or '0001'); marker bits set.
        b[0] = (byte)((b[0] & 0xF0) | (int)((value >> 29) & 0x0E) | 0x01);
        b[1] = (byte)(value >> 22);
        b[2] = (byte)(((value >> 14) & 0xFE) | 0x01);
        b[3] = (byte)(value >> 7);
        b[4] = (byte)(((value << 1) & 0xFE) | 0x01);
    }

    private static long ReadPcrBase(ReadOnlySpan<byte> b) =>
        ((long)b[0] << 25) | ((long)b[1] << 17) | ((long)b[2] << 9) | ((long)b[3] << 1) | ((long)b[4] >> 7);

    private static void WritePcrBase(Span<byte> b, long value)
    {
        // 33-bit base, 6 reserved bits, 9-bit extension: the extension and reserved bits are kept.
        b[0] = (byte)(value >> 25);
        b[1] = (byte)(value >> 17);
        b[2] = (byte)(value >> 9);
        b[3] = (byte)(value >> 1);
        b[4] = (byte)((int)((value & 1) << 7) | (b[4] & 0x7F));
    }

    private readonly record struct Layout(int PcrAt, int PtsAt, int DtsAt, byte StreamId);
}

/// <summary>Which clock a <see cref="TsTimestamp"/> is.</summary>
public enum TsTimestampKind
{
    /// <summary>Program clock reference (its 90 kHz base).</summary>
    Pcr,

    /// <summary>Presentation time stamp.</summary>
    Pts,

    /// <summary>Decoding time stamp.</summary>
    Dts,
}

/// <summary>One timestamp found in a transport stream: its PID, kind, 90 kHz value and PES stream id (0 for PCR).</summary>
public readonly record struct TsTimestamp(int Pid, TsTimestampKind Kind, long Value, byte Stream)
{
    /// <summary>Whether it belongs to a video elementary stream (PES stream id 0xE0-0xEF).</summary>
    public bool IsVideo => Stream is >= 0xE0 and <= 0xEF;
}
