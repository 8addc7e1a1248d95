using System.ComponentModel.DataAnnotations;

namespace HlsCdn.Registry;

/// <summary>Where the registry listens and its password (section <c>Registry</c>, e.g. <c>Registry__Port</c>).</summary>
public sealed class GarnetRegistryOptions
{
    public const string SectionName = "Registry";

    /// <summary>Address to bind: loopback unless told otherwise.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 6379;

    /// <summary>Required: the registry is never open. Never logged.</summary>
    [Required]
    [MinLength(8)]
    public string Password { get; set; } = string.Empty;

    /// <summary>Garnet's log memory (its <c>--memory</c>), sized for a development cluster.</summary>
    [Required]
    public string Memory { get; set; } = "256m";
}
