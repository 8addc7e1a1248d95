using System.ComponentModel.DataAnnotations;

namespace HlsCdn.Console;

/// <summary>Settings of the console (section <c>Console</c>); node addresses come from Aspire's service discovery.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>The nodes' resource names (<c>Console:Nodes:0</c>, ...), each resolved as <c>http://{name}</c>.</summary>
    [Required]
    public List<string> Nodes { get; set; } = [];

    /// <summary>Secret that signs the player's pull tokens (<c>PULL_SECRET</c>, as the nodes read it); empty: no token.</summary>
    public string PullSecret { get; set; } = string.Empty;

    /// <summary>Lifetime of a player's pull token.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Bound on one node's answer; a slower node is reported as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
