namespace HlsCdn.Node.Shutdown;

/// <summary>Graceful shutdown, bound from the <c>Node</c> section (<c>Node:ShutdownTimeout</c>).</summary>
public sealed class NodeShutdownOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Node";

    /// <summary>
    /// On shutdown (SIGTERM), how long the node may take to tell every peer <c>E:code=NODE_SHUTDOWN</c>, let the stream
    /// observers (registry) remove its streams and wait for its connections to close; the host's shutdown timeout too.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
