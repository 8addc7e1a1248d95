using HlsCdn.Tester.Publishing;

namespace HlsCdn.Tester.Tests;

public sealed class TsTimestampRewriterTests
{
    private static readonly IReadOnlyList<(string Name, byte[] Data, TimeSpan Duration)> Clip = ClipSegmentSource.LoadClip();

    [Fact]
    public void The_shipped_clip_is_small_whole_packets_and_has_pts_dts_and_pcr()
    {
        Assert.Equal(4, Clip.Count);
        Assert.True(Clip.Sum(c => c.Data.Length) < 2 * 1024 * 1024);
        foreach (var (_, data, _) in Clip)
        {
            Assert.Equal(0, data.Length % TsTimestampRewriter.PacketSize);
            var stamps = TsTimestampRewriter.ReadTimestamps(data);
            Assert.Contains(stamps, s => s.Kind == TsTimestampKind.Pcr);
            Assert.Contains(stamps, s => s.Kind == TsTimestampKind.Pts && s.IsVideo);
            Assert.Contains(stamps, s => s.Kind == TsTimestampKind.Pts && !s.IsVideo);
        }
    }

    [Theory]
    [InlineData(360_000L)]
    [InlineData(1L)]
    [InlineData((1L << 33) - 200_000)] // pushes the clip's timestamps across the 33-bit wrap
    [InlineData(-1_000L)]
    public void Shift_moves_every_timestamp_by_the_offset_modulo_2_pow_33(long offset)
    {
        foreach (var (_, data, _) in Clip)
        {
            var before = TsTimestampRewriter.ReadTimestamps(data);
            var copy = (byte[])data.Clone();
            TsTimestampRewriter.Shift(copy, offset);
            var after = TsTimestampRewriter.ReadTimestamps(copy);

            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++)
            {
                Assert.Equal(before[i].Pid, after[i].Pid);
                Assert.Equal(before[i].Kind, after[i].Kind);
                Assert.Equal(TsTimestampRewriter.Wrap(before[i].Value + offset), after[i].Value);
            }
        }
    }

    [Fact]
    public void Shift_changes_only_timestamp_bytes_and_shifting_back_restores_the_original()
    {
        var original = Clip[1].Data;
        var copy = (byte[])original.Clone();
        TsTimestampRewriter.Shift(copy, 123_456_789);
        var changedPackets = 0;
        for (var p = 0; p < copy.Length; p += TsTimestampRewriter.PacketSize)
        {
            // Packet headers (sync, PID, flags, continuity counter) are never touched.
            Assert.Equal(original.AsSpan(p, 4).ToArray(), copy.AsSpan(p, 4).ToArray());
            if (!original.AsSpan(p, TsTimestampRewriter.PacketSize).SequenceEqual(copy.AsSpan(p, TsTimestampRewriter.PacketSize)))
            {
                changedPackets++;
            }
        }

        Assert.InRange(changedPackets, 1, copy.Length / TsTimestampRewriter.PacketSize / 2);
        TsTimestampRewriter.Shift(copy, -123_456_789);
        Assert.Equal(original, copy);
    }

    [Fact]
    public void Marker_bits_stay_set_after_a_shift()
    {
        var copy = (byte[])Clip[0].Data.Clone();
        TsTimestampRewriter.Shift(copy, (1L << 33) - 1);
        for (var p = 0; p < copy.Length; p += TsTimestampRewriter.PacketSize)
        {
            var packet = copy.AsSpan(p, TsTimestampRewriter.PacketSize);
            var payloadAt = (packet[3] & 0x20) != 0 ? 5 + packet[4] : 4;
            if ((packet[1] & 0x40) == 0 || payloadAt + 14 > packet.Length || packet[payloadAt] != 0 || packet[payloadAt + 1] != 0 || packet[payloadAt + 2] != 1)
            {
                continue;
            }

            var pts = packet.Slice(payloadAt + 9, 5);
            Assert.Equal(1, pts[0] & 1);
            Assert.Equal(1, pts[2] & 1);
            Assert.Equal(1, pts[4] & 1);
        }
    }

    [Fact]
    public void The_loop_length_matches_the_clip_and_each_pass_continues_after_the_previous()
    {
        var video = Clip.SelectMany(c => TsTimestampRewriter.ReadTimestamps(c.Data)).Where(s => s.Kind == TsTimestampKind.Pts && s.IsVideo).Select(s => s.Value).ToArray();
        var frame = TsTimestampRewriter.ClockRate / 25;
        var loop90k = (long)(ClipSegmentSource.LoopLength.TotalSeconds * TsTimestampRewriter.ClockRate);
        Assert.Equal(loop90k, video.Max() - video.Min() + frame);

        var lastOfPass0 = TsTimestampRewriter.ReadTimestamps(ClipSegmentSource.ForPass(Clip[^1].Data, 0)).Where(s => s.Kind == TsTimestampKind.Pts && s.IsVideo).Max(s => s.Value);
        var firstOfPass1 = TsTimestampRewriter.ReadTimestamps(ClipSegmentSource.ForPass(Clip[0].Data, 1)).Where(s => s.Kind == TsTimestampKind.Pts && s.IsVideo).Min(s => s.Value);
        Assert.Equal(lastOfPass0 + frame, firstOfPass1);
    }

    [Fact]
    public void Data_that_is_not_transport_stream_is_refused()
    {
        Assert.Throws<FormatException>(() => TsTimestampRewriter.Shift(new byte[100], 1));
        Assert.Throws<FormatException>(() => TsTimestampRewriter.Shift(new byte[188], 1));
    }
}
