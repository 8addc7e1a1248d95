using System.Globalization;
using System.Net;
using System.Text;
using HlsCdn.Hosting.Model;

namespace HlsCdn.Hosting.Dashboard;

/// <summary>
/// Draws the model as an inline SVG: one row per layer (a resource sits one layer below the deepest resource it
/// references), an arrow from each resource to each resource it references, boxes coloured by state.
/// </summary>
public static class TopologySvg
{
    private const int BoxWidth = 130;
    private const int BoxHeight = 44;
    private const int ColumnGap = 24;
    private const int RowGap = 70;
    private const int Margin = 20;

    public static string Render(IReadOnlyList<Resource> resources, Func<Resource, string?> state)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(state);
        var shown = resources.Where(r => r.Kind != ResourceKind.Parameter).ToList();
        var layers = Layers(shown);
        var rows = shown.GroupBy(r => layers[r]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var widest = rows.Count == 0 ? 1 : rows.Max(r => r.Count);
        var width = (Margin * 2) + (widest * (BoxWidth + ColumnGap)) - ColumnGap;
        var height = (Margin * 2) + (rows.Count * (BoxHeight + RowGap)) - RowGap;
        var position = new Dictionary<Resource, (double X, double Y)>();
        for (var row = 0; row < rows.Count; row++)
        {
            var rowWidth = (rows[row].Count * (BoxWidth + ColumnGap)) - ColumnGap;
            var left = (width - rowWidth) / 2.0;
            for (var i = 0; i < rows[row].Count; i++)
            {
                position[rows[row][i]] = (left + (i * (BoxWidth + ColumnGap)), Margin + (row * (BoxHeight + RowGap)));
            }
        }

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topology\" viewBox=\"0 0 {width} {Math.Max(height, 60)}\" width=\"{width}\" height=\"{Math.Max(height, 60)}\" role=\"img\" aria-label=\"topology\">");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#888\"/></marker></defs>");
        foreach (var resource in shown)
        {
            foreach (var target in resource.References.Where(position.ContainsKey))
            {
                var (x1, y1) = position[resource];
                var (x2, y2) = position[target];
                var fromBelow = y1 > y2;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<line x1=\"{x1 + (BoxWidth / 2.0):0.#}\" y1=\"{(fromBelow ? y1 : y1 + BoxHeight):0.#}\" x2=\"{x2 + (BoxWidth / 2.0):0.#}\" y2=\"{(fromBelow ? y2 + BoxHeight : y2):0.#}\" stroke=\"#888\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"><title>{Escape(resource.Name)} → {Escape(target.Name)}</title></line>");
            }
        }

        foreach (var resource in shown)
        {
            var (x, y) = position[resource];
            var current = state(resource) ?? "NotStarted";
            svg.Append(CultureInfo.InvariantCulture,
                $"<g class=\"node\" data-name=\"{Escape(resource.Name)}\"><rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\" fill=\"{Fill(current)}\" stroke=\"#444\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x + (BoxWidth / 2.0):0.#}\" y=\"{y + 18:0.#}\" text-anchor=\"middle\" font-size=\"13\" font-family=\"sans-serif\" font-weight=\"bold\">{Escape(resource.Name)}</text>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x + (BoxWidth / 2.0):0.#}\" y=\"{y + 35:0.#}\" text-anchor=\"middle\" font-size=\"11\" font-family=\"sans-serif\">{Escape(Subtitle(resource, current))}</text></g>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Layer of each resource: 0 for one that references nothing, else one more than its deepest reference.</summary>
    public static Dictionary<Resource, int> Layers(IReadOnlyList<Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var layers = new Dictionary<Resource, int>();
        int Depth(Resource r, HashSet<Resource> path)
        {
            if (layers.TryGetValue(r, out var known))
            {
                return known;
            }

            if (!path.Add(r))
            {
                return 0;
            }

            var refs = r.References.Where(resources.Contains).ToList();
            var depth = refs.Count == 0 ? 0 : refs.Max(x => Depth(x, path)) + 1;
            path.Remove(r);
            layers[r] = depth;
            return depth;
        }

        foreach (var resource in resources)
        {
            Depth(resource, []);
        }

        return layers;
    }

    private static string Subtitle(Resource resource, string state) =>
        resource.Labels.TryGetValue("role", out var role) ? $"{role} · {state}" : $"{resource.Kind.ToString().ToLowerInvariant()} · {state}";

    private static string Fill(string state) => state switch
    {
        "Healthy" => "#c8f0c8",
        "Running" => "#e0f0ff",
        "Starting" or "Waiting" => "#fff4c0",
        "Unhealthy" => "#ffd8a8",
        "NotStarted" => "#eeeeee",
        _ => "#ffc8c8",
    };

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
