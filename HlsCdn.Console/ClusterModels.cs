namespace HlsCdn.Console;

/// <summary>A node of the cluster as the console knows it: its name, role (from its <c>/api/node</c>) and addresses.</summary>
public sealed record NodeInfo(string Name, string? Role, string? HttpUrl, string? WebSocketUrl, bool Ok, string? Error);

/// <summary>One node's view of one stream, from its <c>/api/streams</c>.</summary>
public sealed record NodeStream(string StreamId, string Node, string Source, string? Upstream, int Subscribers, long FragmentsIn, long FragmentsOut);

/// <summary>A stream across the cluster: where it is published, which nodes relay it, who watches.</summary>
public sealed record ClusterStream(string StreamId, IReadOnlyList<string> PublishedOn, IReadOnlyList<string> RelayedBy, int TotalSubscribers, IReadOnlyList<NodeStream> Nodes);

/// <summary>The console's picture of the cluster.</summary>
public sealed record ClusterView(IReadOnlyList<NodeInfo> Nodes, IReadOnlyList<ClusterStream> Streams);
