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
        // Frame and audio timestamps from the wall clock, so the burned time is the capture time.
        Assert.Contains("-vf settb=AVTB,setpts='(RTCTIME-", line, StringComparison.Ordinal);
        Assert.Contains("-af asetpts='N/SR/TB+(if(eq(N\\,0)\\,st(0\\,RTCTIME)\\,ld(0))-", line, StringComparison.Ordinal);
        Assert.Contains("-f segment -segment_time 1 ", line, StringComparison.Ordinal);
        Assert.Contains("-segment_list pipe:1 -segment_list_type csv -reset_timestamps 0", line, StringComparison.Ordinal);

        var file = FfmpegCommand.BuildArguments(new EncodeSettings("/v/in.mp4", SegmentSeconds: 2), "/tmp/x", DateTimeOffset.UnixEpoch);
        Assert.Contains("-stream_loop -1 -re -i /v/in.mp4", string.Join(' ', file), StringComparison.Ordinal);
        Assert.DoesNotContain("lavfi", file);
    }

    [Theory]
    [InlineData(0.5, "-g 13 -keyint_min 13")]
    [InlineData(0.2, "-g 5 -keyint_min 5")]
    public void Short_segments_get_a_keyframe_each_and_no_shorter_gop(double seconds, string gop)
    {
        var line = string.Join(' ', FfmpegCommand.BuildArguments(new EncodeSettings(null, seconds), "/tmp/out", DateTimeOffset.UnixEpoch));
        Assert.Contains(gop, line, StringComparison.Ordinal);
        Assert.Contains($"-force_key_frames expr:gte(t,n_forced*{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)})", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Renders one frame with ffmpeg and reads the clock boxes back, as the spectate page does: they show the wall-clock
    /// time at which ffmpeg rendered the frame, whatever the origin (which only sets where stream time 0 is).
    /// </summary>
    [Fact]
    public async Task The_burned_in_clock_boxes_decode_to_the_wall_clock_time_of_the_frame()
    {
        var ffmpeg = FfmpegCommand.Locate();
        if (ffmpeg is null)
        {
            Assert.Skip("ffmpeg not found on the PATH: install the Debian package 'ffmpeg' to run this test.");
        }

        var before = DateTimeOffset.UtcNow;
        var origin = before - TimeSpan.FromMinutes(37);
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
        var after = DateTimeOffset.UtcNow;
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

        // Milliseconds after `before` (modulo a day): within the run of ffmpeg.
        var sinceBefore = ((value - (before.ToUnixTimeMilliseconds() % ClockOverlay.MillisecondsPerDay)) + ClockOverlay.MillisecondsPerDay) % ClockOverlay.MillisecondsPerDay;
        Assert.InRange(sinceBefore, 0, (long)(after - before).TotalMilliseconds + 1);
    }

    [Fact]
    public void Renditions_share_one_source_and_force_keyframes_at_the_same_boundaries()
    {
        var renditions = Rendition.ParseList("256x144@150k,640x360@800k", out var error)!;
        Assert.Null(error);
        Assert.Equal([new Rendition(640, 360, 800), new Rendition(256, 144, 150)], renditions);
        Assert.Equal("room/cam/640x360-25~800", renditions[0].StreamId("room/cam", 25));
        var args = FfmpegCommand.BuildArguments(new EncodeSettings(null, Renditions: renditions), "/tmp/x", DateTimeOffset.UnixEpoch);
        Assert.Single(args, a => a == "-filter_complex");
        var graph = args[args.ToList().IndexOf("-filter_complex") + 1];
        Assert.Contains("split=2[s0][s1]", graph, StringComparison.Ordinal);
        Assert.Contains("asplit=2[a0][a1]", graph, StringComparison.Ordinal);
        Assert.Equal(2, args.Count(a => a == "expr:gte(t,n_forced*1)"));
        Assert.Equal(2, args.Count(a => a == "pipe:1"));
        Assert.Contains("/tmp/x/r1_seg%06d.ts", args);
        Assert.Equal(1, FfmpegCommand.RenditionOf("/tmp/x/r1_seg000007.ts"));
        Assert.Equal(0, FfmpegCommand.RenditionOf("seg000007.ts"));
    }
}
