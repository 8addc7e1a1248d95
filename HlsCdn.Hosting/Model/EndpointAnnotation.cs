namespace HlsCdn.Hosting.Model;

/// <summary>A network endpoint of a resource: allocated on loopback in run mode, a binding in the manifest.</summary>
public sealed class EndpointAnnotation(string name, string scheme, string transport, int? targetPort, bool external)
{
    public string Name { get; } = name;

    public string Scheme { get; } = scheme;

    /// <summary>The manifest's transport: <c>http</c>, <c>http2</c> or <c>tcp</c>.</summary>
    public string Transport { get; } = transport;

    /// <summary>The port the workload listens on when deployed (a container's port).</summary>
    public int? TargetPort { get; } = targetPort;

    public bool External { get; } = external;

    /// <summary>Whether the endpoint exists only in the deployment manifest (no local port).</summary>
    public bool PublishOnly { get; init; }

    /// <summary>The loopback port given to it in this run; null until allocated.</summary>
    public int? AllocatedPort { get; internal set; }

    public const string Host = "127.0.0.1";

    /// <summary>The endpoint's URL in this run (for example <c>http://127.0.0.1:5123</c>).</summary>
    public string Url => $"{Scheme}://{Host}:{Port}";

    public int Port => AllocatedPort ?? throw new InvalidOperationException($"Endpoint '{Name}' has no port allocated yet.");
}
