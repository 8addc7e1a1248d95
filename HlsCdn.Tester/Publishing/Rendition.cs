using System.Globalization;
using System.Text.RegularExpressions;

namespace HlsCdn.Tester.Publishing;

/// <summary>
/// One rendition of a multi-rendition publish: picture size and video bit rate. Its stream id follows the convention
/// <c>{stream}/{W}x{H}-{FPS}~{KBPS}</c>.
/// </summary>
/// <param name="Width">Picture width (even, 64 to 3840).</param>
/// <param name="Height">Picture height (even, 64 to 2160).</param>
/// <param name="Kbps">Video bit rate in kbit/s (16 to 50000).</param>
public sealed partial record Rendition(int Width, int Height, int Kbps)
{
    /// <summary>The default set of <c>publish --renditions</c> examples: encodes in real time on 2 cores.</summary>
    public const string DefaultList = "640x360@800k,426x240@400k,256x144@150k";

    /// <summary>Most renditions in one publish.</summary>
    public const int MaxCount = 8;

    /// <summary>This rendition's stream id under <paramref name="stream"/>: <c>{stream}/{W}x{H}-{FPS}~{KBPS}</c>.</summary>
    public string StreamId(string stream, int frameRate) =>
        string.Create(CultureInfo.InvariantCulture, $"{stream}/{Width}x{Height}-{frameRate}~{Kbps}");

    /// <summary>
    /// Parses a comma-separated list such as <c>640x360@800k,426x240@400k</c> (bit rate in kbit/s, the <c>k</c> is
    /// optional; <c>M</c> means Mbit/s). Returns the renditions, highest bit rate first, or null with
    /// <paramref name="error"/> naming the bad item.
    /// </summary>
    public static IReadOnlyList<Rendition>? ParseList(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"--renditions is empty; expected e.g. {DefaultList}";
            return null;
        }

        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Length > MaxCount)
        {
            error = $"--renditions lists {items.Length} renditions; at most {MaxCount}";
            return null;
        }

        var result = new List<Rendition>();
        foreach (var item in items)
        {
            var m = ItemPattern().Match(item);
            if (!m.Success)
            {
                error = $"--renditions item '{item}' is not WIDTHxHEIGHT@BITRATE (e.g. 640x360@800k)";
                return null;
            }

            if (!int.TryParse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var width)
                || !int.TryParse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture, out var height)
                || !double.TryParse(m.Groups[3].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate))
            {
                error = $"--renditions item '{item}' has a number out of range";
                return null;
            }

            var kbps = m.Groups[4].Value is "M" or "m" ? rate * 1000 : rate;
            if (width is < 64 or > 3840 || height is < 64 or > 2160 || width % 2 != 0 || height % 2 != 0)
            {
                error = $"--renditions item '{item}': width and height must be even, 64x64 to 3840x2160";
                return null;
            }

            if (kbps is < 16 or > 50_000 || kbps != Math.Round(kbps))
            {
                error = $"--renditions item '{item}': the bit rate must be a whole number of kbit/s from 16k to 50000k";
                return null;
            }

            var rendition = new Rendition(width, height, (int)kbps);
            if (result.Any(r => r.Width == width && r.Height == height && r.Kbps == rendition.Kbps))
            {
                error = $"--renditions item '{item}' is listed twice";
                return null;
            }

            result.Add(rendition);
        }

        return result.OrderByDescending(r => r.Kbps).ThenByDescending(r => r.Width * r.Height).ToList();
    }

    [GeneratedRegex(@"^(\d{1,5})x(\d{1,5})@(\d{1,6}(?:\.\d{1,3})?)([kKmM]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex ItemPattern();
}
