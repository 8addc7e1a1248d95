namespace HlsCdn.AppHost;

/// <summary>Addresses of an HlsCdn node resource.</summary>
public static class NodeResourceExtensions
{
    /// <summary>The node's WebSocket URL (<c>ws://host:port/</c>) on its http endpoint, as peers reach it.</summary>
    public static ReferenceExpression WebSocketUrl(this IResourceBuilder<ProjectResource> node) =>
        ReferenceExpression.Create($"ws://{node.GetEndpoint("http").Property(EndpointProperty.HostAndPort)}/");
}
