using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// Draws latency CDFs from <c>bench fanout --json</c> (or <c>bench join --json</c>) results as one SVG: x is latency
/// in milliseconds on a log scale, y the fraction of fragments delivered within it; one curve per result, with its
/// p50 and p99 in the legend.
/// </summary>
public static class LatencyCdfPlot
{
    private const int Width = 720;
    private const int Height = 440;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 60;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    /// <summary>Reads the latency quantiles of a result file; throws <see cref="BenchException"/> when it has none.</summary>
    public static LatencyCdfSeries Read(string path, string label)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        JsonElement latency;
        if (!(root.TryGetProperty("latency", out latency) || root.TryGetProperty("connectToFirstFragment", out latency))
            || !latency.TryGetProperty("quantiles", out var quantiles) || quantiles.GetArrayLength() == 0)
        {
            throw new BenchException($"{path}: no latency quantiles (expected the --json output of bench fanout or bench join)");
        }

        var points = quantiles.EnumerateArray().Select(q => new LatencyQuantile(q.GetProperty("p").GetDouble(), q.GetProperty("milliseconds").GetDouble())).ToList();
        return new LatencyCdfSeries(label, points, latency.GetProperty("p50").GetDouble(), latency.GetProperty("p99").GetDouble());
    }

    /// <summary>Renders the curves as an SVG document.</summary>
    public static string Render(IReadOnlyList<LatencyCdfSeries> series, string title)
    {
        var all = series.SelectMany(s => s.Quantiles).Select(q => Math.Max(q.Milliseconds, 0.01)).ToList();
        var min = Math.Pow(10, Math.Floor(Math.Log10(all.Count == 0 ? 1 : all.Min())));
        var max = Math.Pow(10, Math.Ceiling(Math.Log10(all.Count == 0 ? 10 : all.Max())));
        if (max <= min)
        {
            max = min * 10;
        }

        double X(double ms) => Left + ((Math.Log10(Math.Max(ms, min)) - Math.Log10(min)) / (Math.Log10(max) - Math.Log10(min)) * (Width - Left - Right));
        double Y(double p) => Top + ((1 - p) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{SecurityElement.Escape(title)}</text>\n");
        for (var decade = min; decade <= max * 1.0001; decade *= 10)
        {
            var x = X(decade);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{Top}\" x2=\"{x:F1}\" y2=\"{Height - Bottom}\" stroke=\"#ddd\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{decade.ToString("0.###", CultureInfo.InvariantCulture)}</text>\n");
        }

        foreach (var p in new[] { 0, 0.25, 0.5, 0.75, 0.9, 1 })
        {
            var y = Y(p);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{p.ToString("0.##", CultureInfo.InvariantCulture)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 20}\" text-anchor=\"middle\">latency, ms (log scale): publisher's send start to spectator has the whole fragment</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">fraction of fragments</text>\n");
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var colour = Colours[i % Colours.Length];
            var points = new StringBuilder();
            var previousP = 0.0;
            foreach (var q in s.Quantiles)
            {
                // A step CDF: horizontal to the new latency at the previous fraction, then up.
                points.Append(CultureInfo.InvariantCulture, $"{X(q.Milliseconds):F1},{Y(previousP):F1} {X(q.Milliseconds):F1},{Y(q.P):F1} ");
                previousP = q.P;
            }

            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"cdf\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points.ToString().TrimEnd()}\"/>\n");
            // The legend sits bottom right, where a CDF has no points.
            var ly = Height - Bottom - 12 - ((series.Count - 1 - i) * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right - 340}\" y1=\"{ly - 4}\" x2=\"{Width - Right - 320}\" y2=\"{ly - 4}\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 315}\" y=\"{ly}\">{SecurityElement.Escape(s.Label)}: p50 {s.P50:F1} ms, p99 {s.P99:F1} ms</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
