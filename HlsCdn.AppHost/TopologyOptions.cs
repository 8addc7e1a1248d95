using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HlsCdn.AppHost;

/// <summary>
/// The shape of the default topology (section <c>Topology</c>, e.g. <c>--Topology:Regions=eu,us</c>):
/// publish nodes, regions with a gateway and edges each, the tester's stream.
/// </summary>
public sealed partial class TopologyOptions
{
    public const string SectionName = "Topology";

    public int PublishNodes { get; init; } = 2;

    public IReadOnlyList<string> Regions { get; init; } = ["eu", "us"];

    public int EdgesPerRegion { get; init; } = 2;

    /// <summary>The stream the tester publishes.</summary>
    public string StreamId { get; init; } = "test";

    /// <summary>Whether the tester runs and publishes a live test pattern.</summary>
    public bool Tester { get; init; } = true;

    public static TopologyOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new TopologyOptions();
        var options = new TopologyOptions
        {
            PublishNodes = section.GetValue(nameof(PublishNodes), defaults.PublishNodes),
            Regions = List(section, nameof(Regions)) ?? defaults.Regions,
            EdgesPerRegion = section.GetValue(nameof(EdgesPerRegion), defaults.EdgesPerRegion),
            StreamId = section[nameof(StreamId)] ?? defaults.StreamId,
            Tester = section.GetValue(nameof(Tester), defaults.Tester),
        };
        options.Validate();
        return options;
    }

    public void Validate()
    {
        var errors = new List<string>();
        if (PublishNodes is < 1 or > 32)
        {
            errors.Add($"Topology:PublishNodes must be 1..32 (was {PublishNodes}).");
        }

        if (EdgesPerRegion is < 0 or > 64)
        {
            errors.Add($"Topology:EdgesPerRegion must be 0..64 (was {EdgesPerRegion}).");
        }

        if (Regions.Count == 0)
        {
            errors.Add("Topology:Regions must name at least one region.");
        }

        foreach (var region in Regions.Where(r => !ResourceName().IsMatch("gateway-" + r)))
        {
            errors.Add($"Topology:Regions: '{region}' does not make a valid resource name.");
        }

        if (Regions.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Regions.Count)
        {
            errors.Add("Topology:Regions lists a region twice.");
        }

        if (string.IsNullOrWhiteSpace(StreamId))
        {
            errors.Add("Topology:StreamId must not be empty.");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(TopologyOptions), errors);
        }
    }

    /// <summary>A list given either as <c>a,b</c> or as indexed children (<c>Regions:0</c>, <c>Regions:1</c>).</summary>
    private static List<string>? List(IConfigurationSection section, string key)
    {
        var child = section.GetSection(key);
        if (child.Value is { } joined)
        {
            return joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        var items = child.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        return items.Count > 0 ? items : null;
    }

    /// <summary>Aspire's rule for resource names: ASCII letters, digits and hyphens, starting with a letter, no double or trailing hyphen, at most 64.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^(?=.{1,64}$)[a-zA-Z](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9]))*$")]
    private static partial System.Text.RegularExpressions.Regex ResourceName();
}
