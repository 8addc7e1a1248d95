using System.Diagnostics;
using HlsCdn.Tester.Publishing;

namespace HlsCdn.Tester.Tests;

public sealed class SegmentListAndFfmpegTests
{
    [Theory]
    [InlineData("seg000001.ts,1.021333,2.021333", "seg000001.ts", 1.021333, 2.021333)]
    [InlineData("\"a,\"\"b\"\".ts\",0.5,1.5\r", "a,\"b\".ts", 0.5, 1.5)]
    public void Segment_list_lines_are_parsed(string line, string name, double start, double end)
    {
        var entry = SegmentListEntry.TryParse(line);
        Assert.NotNull(entry);
        Assert.Equal(name, entry.FileName);
        Assert.Equal(start, entry.Start, 6);
        Assert.Equal(end, entry.End, 6);
        Assert.Equal(TimeSpan.FromSeconds(end - start), entry.Duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.ts,x,1")]
    [InlineData("a.ts,2,1")]
    public void Other_lines_are_ignored(string line) => Assert.Null(SegmentListEntry.TryParse(line));

    [Fact]
    public void The_command_encodes_h264_and_aac_into_mpegts_segments_listed_on_stdout()
    {
        var args = FfmpegCommand.BuildArguments(new EncodeSettings(null, FontFile: FfmpegCommand.DefaultFontFile), "/tmp/x", DateTimeOffset.UnixEpoch);
        var line = string.Join(' ', args);
        Assert.Contains("-re -f lavfi -i testsrc2=size=640x360:rate=25", line, StringComparison.Ordinal);
        Assert.Contains("sine=frequency=1000", line, StringComparison.Ordinal);
        Assert.Contains("-c:v libx264 -preset veryfast -tune zerolatency", line, StringComparison.Ordinal);
        Assert.Contains("-g 25 -keyint_min 25", line, StringComparison.Ordinal);
        Assert.Contains("-f segment -segment_time 1 ", line, StringComparison.Ordinal);
        Assert.Contains("-segment_list pipe:1 -segment_list_type csv -reset_timestamps 0", line, StringComparison.Ordinal);

        var file = FfmpegCommand.BuildArguments(new EncodeSettings("/v/in.mp4", SegmentSeconds: 2), "/tmp/x", DateTimeOffset.UnixEpoch);
        Assert.Contains("-stream_loop -1 -re -i /v/in.mp4", string.Join(' ', file), StringComparison.Ordinal);
        Assert.DoesNotContain("lavfi", file);
    }

    /// <summary>Renders one frame with ffmpeg and reads the clock boxes back, as the spectate page does.</summary>
    [Fact]
    public async Task The_burned_in_clock_boxes_decode_to_the_origin_time()
    {
        var ffmpeg = FfmpegCommand.Locate();
        if (ffmpeg is null)
        {
            Assert.Skip("ffmpeg not found on the PATH: install the Debian package 'ffmpeg' to run this test.");
        }

        var origin = new DateTimeOffset(2026, 1, 2, 13, 45, 6, 789, TimeSpan.Zero);
        var start = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-vf", ClockOverlay.BuildFilter(origin, 640, 360, null) + ",format=gray", "-frames:v", "1", "-f", "rawvideo", "pipe:1" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        using var frame = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(frame, TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await copy;
        Assert.True(process.ExitCode == 0, await errors);
        var gray = frame.ToArray();
        Assert.Equal(640 * 360, gray.Length);

        var y = 360 - (ClockOverlay.StripHeight / 2);
        bool Bit(int i) => gray[(y * 640) + ClockOverlay.BoxX(i) + (ClockOverlay.BoxSize / 2)] >= 128;
        Assert.True(Bit(ClockOverlay.DataBits), "marker box");
        long value = 0;
        for (var i = 0; i < ClockOverlay.DataBits; i++)
        {
            value |= Bit(i) ? 1L << i : 0;
        }

        Assert.Equal(origin.ToUnixTimeMilliseconds() % ClockOverlay.MillisecondsPerDay, value);
    }
}
