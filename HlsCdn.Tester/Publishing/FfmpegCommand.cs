using System.Globalization;

namespace HlsCdn.Tester.Publishing;

/// <summary>What ffmpeg encodes.</summary>
/// <param name="VideoFile">A file to loop, or null for the generated test pattern with the burned-in clock.</param>
/// <param name="SegmentSeconds">Target segment (and keyframe interval) duration.</param>
/// <param name="Width">Test pattern width.</param>
/// <param name="Height">Test pattern height.</param>
/// <param name="FrameRate">Test pattern frame rate.</param>
/// <param name="FontFile">Font for the clock text (null: boxes only).</param>
/// <param name="Renditions">Several renditions encoded at once from the one source (null: one stream as before).</param>
public sealed record EncodeSettings(string? VideoFile, double SegmentSeconds = 1, int Width = 640, int Height = 360, int FrameRate = 25, string? FontFile = null, IReadOnlyList<Rendition>? Renditions = null);

/// <summary>Builds ffmpeg's command line: a live encode to H.264 + AAC in MPEG-TS segments, listing each finished segment on stdout.</summary>
public static class FfmpegCommand
{
    /// <summary>The DejaVu font of Debian's <c>fonts-dejavu-core</c>.</summary>
    public const string DefaultFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>Name pattern of the segment files in the output directory.</summary>
    public const string SegmentPattern = "seg%06d.ts";

    /// <summary>x264 preset of the renditions: several encodes of the default set must run in real time on 2 cores.</summary>
    public const string RenditionPreset = "superfast";

    /// <summary>AAC bit rate of each rendition.</summary>
    public const string RenditionAudioBitrate = "64k";

    /// <summary>Name pattern of rendition <paramref name="index"/>'s segment files (<c>r{index}_seg%06d.ts</c>).</summary>
    public static string RenditionSegmentPattern(int index) => string.Create(CultureInfo.InvariantCulture, $"r{index}_{SegmentPattern}");

    /// <summary>The rendition index of a segment file named by <see cref="RenditionSegmentPattern"/>; 0 for any other name.</summary>
    public static int RenditionOf(string fileName)
    {
        var name = Path.GetFileName(fileName);
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        return name.Length > 1 && name[0] == 'r' && underscore > 1
            && int.TryParse(name.AsSpan(1, underscore - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
    }

    /// <summary>The arguments, one per element (no shell quoting needed).</summary>
    /// <param name="settings">What to encode.</param>
    /// <param name="outputDirectory">Where ffmpeg writes the segment files.</param>
    /// <param name="clockOrigin">The wall-clock time burned in for stream time 0 (test pattern only).</param>
    public static IReadOnlyList<string> BuildArguments(EncodeSettings settings, string outputDirectory, DateTimeOffset clockOrigin)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Renditions is { Count: > 0 } renditions)
        {
            return BuildRenditionArguments(settings, renditions, outputDirectory, clockOrigin);
        }

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

    /// <summary>
    /// One ffmpeg process, several renditions: the source (with the clock burned in once) is split and scaled, each
    /// rendition has its own x264 and AAC encoders and segment muxer. All encoders see the same frames with the same
    /// timestamps and force a keyframe at the same segment boundaries, so segment N of every rendition starts and ends
    /// at the same time. Each segment muxer lists its segments on stdout; the file name tells the rendition.
    /// </summary>
    private static List<string> BuildRenditionArguments(EncodeSettings settings, IReadOnlyList<Rendition> renditions, string outputDirectory, DateTimeOffset clockOrigin)
    {
        var inv = CultureInfo.InvariantCulture;
        var segment = settings.SegmentSeconds.ToString("0.###", inv);
        var gop = Math.Max(1, (int)Math.Ceiling((settings.FrameRate * settings.SegmentSeconds) - 1e-9)).ToString(inv);
        var n = renditions.Count;
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-nostdin", "-y" };
        var graph = new System.Text.StringBuilder();
        string? audioInput;
        if (settings.VideoFile is null)
        {
            args.AddRange([
                "-re", "-f", "lavfi", "-i", $"testsrc2=size={settings.Width}x{settings.Height}:rate={settings.FrameRate}",
                "-re", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
            ]);
            graph.Append("[0:v]").Append(ClockOverlay.BuildFilter(clockOrigin, settings.Width, settings.Height, settings.FontFile));
            // One asetpts before the split: every rendition's audio carries the same timestamps.
            audioInput = null;
        }
        else
        {
            args.AddRange(["-stream_loop", "-1", "-re", "-i", settings.VideoFile]);
            graph.Append(inv, $"[0:v]fps={settings.FrameRate}");
            audioInput = "0:a:0?";
        }

        graph.Append(inv, $",split={n}");
        for (var i = 0; i < n; i++)
        {
            graph.Append(inv, $"[s{i}]");
        }

        for (var i = 0; i < n; i++)
        {
            graph.Append(inv, $";[s{i}]scale={renditions[i].Width}:{renditions[i].Height}:flags=bilinear,setsar=1[v{i}]");
        }

        if (audioInput is null)
        {
            graph.Append(";[1:a]").Append(ClockOverlay.BuildAudioFilter(clockOrigin)).Append(inv, $",asplit={n}");
            for (var i = 0; i < n; i++)
            {
                graph.Append(inv, $"[a{i}]");
            }
        }

        args.AddRange(["-filter_complex", graph.ToString()]);
        for (var i = 0; i < n; i++)
        {
            var rate = renditions[i].Kbps.ToString(inv) + "k";
            args.AddRange([
                "-map", $"[v{i}]", "-map", audioInput ?? $"[a{i}]",
                "-c:v", "libx264", "-preset", RenditionPreset, "-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p",
                "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
                "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-force_key_frames", $"expr:gte(t,n_forced*{segment})",
                "-c:a", "aac", "-b:a", RenditionAudioBitrate, "-ar", "48000",
                "-f", "segment", "-segment_time", segment, "-segment_time_delta", "0.05", "-segment_format", "mpegts",
                "-segment_list", "pipe:1", "-segment_list_type", "csv", "-reset_timestamps", "0",
                Path.Combine(outputDirectory, RenditionSegmentPattern(i)),
            ]);
        }

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
