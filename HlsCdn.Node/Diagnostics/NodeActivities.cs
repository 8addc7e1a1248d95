using System.Diagnostics;

namespace HlsCdn.Node.Diagnostics;

/// <summary>The engine's <see cref="ActivitySource"/>: a span per connection and per relay.</summary>
public static class NodeActivities
{
    /// <summary>The source's name, for OpenTelemetry's <c>AddSource</c>.</summary>
    public const string SourceName = "HlsCdn.Node";

    public static ActivitySource Source { get; } = new(SourceName, typeof(NodeActivities).Assembly.GetName().Version?.ToString());
}
