using System.Globalization;
using System.Text;

namespace HlsCdn.Tester.Publishing;

/// <summary>
/// The ffmpeg filter that burns the wall clock into the test pattern, twice: as text for people
/// (<c>HH:MM:SS.mmm UTC</c> and the frame number) and as a row of white/black boxes along the bottom edge that a
/// program can read back from the decoded picture (the spectate page does, to measure the delay from capture to
/// display). The boxes encode the UTC millisecond of the day (27 bits, least significant first) followed by one
/// always-white marker box, on a black strip.
/// </summary>
/// <remarks>
/// ffmpeg expressions have no wall-clock function, so the clock is <c>origin + t</c>, and the filter first sets each
/// frame's timestamp to the wall clock (<c>RTCTIME</c>) minus the origin, in microseconds: the burned time is when the
/// frame entered the filter (its capture), whatever ffmpeg's start-up took. (Before, <c>t</c> was the frame's
/// <c>-re</c> schedule from the tester's start of ffmpeg, so the clock ran early by ffmpeg's start-up, 0.3–1.2 s on a
/// loaded machine, which every capture-to-display figure included.) Steady, this is late by the few milliseconds from
/// <c>-re</c>'s release to the filter (a measured delay is never understated by it); a frame that a CPU-starved
/// ffmpeg processes late carries that later time. (Timestamps from <c>RTCSTART</c> + the frame's schedule were tried:
/// regular, but <c>RTCSTART</c> is taken when the filter graph is configured, up to ~100 ms after <c>-re</c> released the
/// first frame under load, which made the clock late and every measured delay too small by that much.) The audio
/// gets the same origin (<see cref="BuildAudioFilter"/>) so the two stay in sync, and the segment list's times plus the
/// origin are wall-clock times.
/// </remarks>
public static class ClockOverlay
{
    /// <summary>Number of data boxes (bits of the millisecond of the UTC day; 86 400 000 &lt; 2^27).</summary>
    public const int DataBits = 27;

    /// <summary>Left edge of the first box.</summary>
    public const int FirstBoxX = 8;

    /// <summary>Distance between the left edges of two boxes.</summary>
    public const int BoxPitch = 22;

    /// <summary>Side of a box.</summary>
    public const int BoxSize = 18;

    /// <summary>Height of the black strip the boxes sit on (at the bottom of the picture).</summary>
    public const int StripHeight = 38;

    /// <summary>Milliseconds in a day: the encoded value wraps there.</summary>
    public const long MillisecondsPerDay = 86_400_000;

    /// <summary>Smallest picture width that holds the boxes.</summary>
    public const int MinimumWidth = FirstBoxX + (DataBits * BoxPitch) + BoxSize + FirstBoxX;

    /// <summary>Builds the filter (for <c>-vf</c>) for a picture of <paramref name="width"/>x<paramref name="height"/>.</summary>
    /// <param name="origin">The wall-clock time that stream time 0 stands for.</param>
    /// <param name="width">Picture width (at least <see cref="MinimumWidth"/>).</param>
    /// <param name="height">Picture height.</param>
    /// <param name="fontFile">A TrueType font for drawtext, or null to draw the boxes only.</param>
    public static string BuildFilter(DateTimeOffset origin, int width, int height, string? fontFile)
    {
        if (width < MinimumWidth || height < 120)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"The clock overlay needs a picture of at least {MinimumWidth}x120.");
        }

        var inv = CultureInfo.InvariantCulture;
        // Seconds since UTC midnight at the origin, to the millisecond.
        var originSeconds = (origin.ToUnixTimeMilliseconds() % MillisecondsPerDay / 1000.0).ToString("0.000", inv);
        var now = $"({originSeconds}+t)";
        var stripY = height - StripHeight;
        var boxY = stripY + ((StripHeight - BoxSize) / 2);

        var filter = new StringBuilder();
        filter.Append(inv, $"settb=AVTB,setpts='(RTCTIME-{OriginMicroseconds(origin)})/(TB*1000000)',");
        filter.Append(inv, $"drawbox=x=0:y={stripY}:w={width}:h={StripHeight}:color=black:t=fill");
        for (var bit = 0; bit < DataBits; bit++)
        {
            var weight = (1L << bit).ToString(inv);
            filter.Append(inv, $",drawbox=x={BoxX(bit)}:y={boxY}:w={BoxSize}:h={BoxSize}:color=white:t=fill")
                .Append(inv, $":enable='eq(mod(floor(mod(floor({now}*1000)\\,{MillisecondsPerDay})/{weight})\\,2)\\,1)'");
        }

        filter.Append(inv, $",drawbox=x={BoxX(DataBits)}:y={boxY}:w={BoxSize}:h={BoxSize}:color=white:t=fill");
        if (fontFile is not null)
        {
            var font = EscapeOptionValue(fontFile);
            var clock =
                $"%{{eif\\:mod(floor({now}/3600)\\,24)\\:d\\:2}}\\:%{{eif\\:mod(floor({now}/60)\\,60)\\:d\\:2}}\\:" +
                $"%{{eif\\:mod(floor({now})\\,60)\\:d\\:2}}.%{{eif\\:mod(floor({now}*1000)\\,1000)\\:d\\:3}} UTC";
            filter.Append(inv, $",drawtext=fontfile='{font}':fontsize=44:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6:x=20:y=20:text='{clock}'");
            filter.Append(inv, $",drawtext=fontfile='{font}':fontsize=22:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4:x=20:y=80:text='HlsCdn test pattern  frame %{{n}}'");
        }

        return filter.ToString();
    }

    /// <summary>
    /// The audio filter (for <c>-af</c>) that puts the audio on the same timeline as the video: sample-exact timestamps
    /// from the wall-clock time of the first audio frame, relative to <paramref name="origin"/>.
    /// </summary>
    public static string BuildAudioFilter(DateTimeOffset origin) =>
        string.Create(CultureInfo.InvariantCulture, $"asetpts='N/SR/TB+(if(eq(N\\,0)\\,st(0\\,RTCTIME)\\,ld(0))-{OriginMicroseconds(origin)})/(TB*1000000)'");

    private static long OriginMicroseconds(DateTimeOffset origin) => (origin - DateTimeOffset.UnixEpoch).Ticks / 10;

    /// <summary>Left edge of box <paramref name="index"/> (0..<see cref="DataBits"/>; the last is the marker).</summary>
    public static int BoxX(int index) => FirstBoxX + (index * BoxPitch);

    // Inside a quoted filter option value only the quote and the backslash are special.
    private static string EscapeOptionValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "'\\''", StringComparison.Ordinal);
}
