namespace HlsCdn.Node.Admission;

/// <summary>Which browsers may open WebSocket sessions, bound from the <c>Node</c> section (<c>Node:AllowedOrigins</c>).</summary>
public sealed class NodeAdmissionOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Node";

    /// <summary>
    /// Comma-separated origins (<c>https://player.example.com</c>) whose browsers may open WebSocket sessions; an upgrade
    /// with another <c>Origin</c> header gets 403. Unset: no check (browsers connect cross-origin).
    /// </summary>
    public string? AllowedOrigins { get; set; }
}
