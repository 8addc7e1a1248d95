using System.Globalization;

namespace HlsCdn.Tester.Publishing;

/// <summary>What ffmpeg encodes.</summary>
/// <param name="VideoFile">A file to loop, or null for the generated test pattern with the burned-in clock.</param>
/// <param name="SegmentSeconds">Target segment (and keyframe interval) duration.</param>
/// <param name="Width">Test pattern width.</param>
/// <param name="Height">Test pattern height.</param>
/// <param name="FrameRate">Test pattern frame rate.</param>
/// <param name="FontFile">Font for the clock text (null: boxes only).</param>
public sealed record EncodeSettings(string? VideoFile, double SegmentSeconds = 1, int Width = 640, int Height = 360, int FrameRate = 25, string? FontFile = null);

/// <summary>Builds ffmpeg's command line: a live encode to H.264 + AAC in MPEG-TS segments, listing each finished segment on stdout.</summary>
public static class FfmpegCommand
{
    /// <summary>The DejaVu font of Debian's <c>fonts-dejavu-core</c>.</summary>
    public const string DefaultFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>Name pattern of the segment files in the output directory.</summary>
    public const string SegmentPattern = "seg%06d.ts";

    /// <summary>The arguments, one per element (no shell quoting needed).</summary>
    /// <param name="settings">What to encode.</param>
    /// <param name="outputDirectory">Where ffmpeg writes the segment files.</param>
    /// <param name="clockOrigin">The wall-clock time burned in for stream time 0 (test pattern only).</param>
    public static IReadOnlyList<string> BuildArguments(EncodeSettings settings, string outputDirectory, DateTimeOffset clockOrigin)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var inv = CultureInfo.InvariantCulture;
        var segment = settings.SegmentSeconds.ToString("0.###", inv);
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-nostdin", "-y" };
        if (settings.VideoFile is null)
        {
            // Keyframes are forced at every segment boundary; the GOP length only has to be no shorter than a segment.
            var gop = Math.Max(1, (int)Math.Ceiling((settings.FrameRate * settings.SegmentSeconds) - 1e-9)).ToString(inv);
            args.AddRange([
                "-re", "-f", "lavfi", "-i", $"testsrc2=size={settings.Width}x{settings.Height}:rate={settings.FrameRate}",
                "-re", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-vf", ClockOverlay.BuildFilter(clockOrigin, settings.Width, settings.Height, settings.FontFile),
                "-af", ClockOverlay.BuildAudioFilter(clockOrigin),
                "-map", "0:v:0", "-map", "1:a:0",
                "-g", gop, "-keyint_min", gop,
            ]);
        }
        else
        {
            args.AddRange([
                "-stream_loop", "-1", "-re", "-i", settings.VideoFile,
                "-map", "0:v:0", "-map", "0:a:0?",
            ]);
        }

        args.AddRange([
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p",
            "-sc_threshold", "0", "-force_key_frames", $"expr:gte(t,n_forced*{segment})",
            "-c:a", "aac", "-b:a", "96k", "-ar", "48000",
            "-f", "segment", "-segment_time", segment, "-segment_time_delta", "0.05", "-segment_format", "mpegts",
            "-segment_list", "pipe:1", "-segment_list_type", "csv", "-reset_timestamps", "0",
            Path.Combine(outputDirectory, SegmentPattern),
        ]);
        return args;
    }

    /// <summary>Finds <c>ffmpeg</c> on the PATH (or the <c>FFMPEG_PATH</c> environment variable); null when absent.</summary>
    public static string? Locate()
    {
        var explicitPath = Environment.GetEnvironmentVariable("FFMPEG_PATH");
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath) ? explicitPath : null;
        }

        var names = OperatingSystem.IsWindows() ? new[] { "ffmpeg.exe" } : ["ffmpeg"];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
