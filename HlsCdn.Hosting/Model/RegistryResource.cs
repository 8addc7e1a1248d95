namespace HlsCdn.Hosting.Model;

/// <summary>How the registry is provided in run mode.</summary>
public enum RegistryKind
{
    /// <summary>An in-process Garnet server on a free loopback port (the default: nothing to install).</summary>
    Garnet,

    /// <summary><c>redis-server</c> from the PATH, run as a child process.</summary>
    RedisServer,

    /// <summary>An existing server given by its connection string.</summary>
    External,
}

/// <summary>
/// The Redis-protocol registry the nodes share. In run mode it is Garnet, redis-server or an external server;
/// in the manifest it is a <c>container.v0</c> with a generated password parameter.
/// </summary>
public sealed class RegistryResource : Resource, IResourceWithConnectionString
{
    private string? _runtimeConnectionString;

    internal RegistryResource(string name, ParameterResource password, RegistryKind registryKind, string? externalConnectionString, string image)
        : base(name)
    {
        Password = password;
        RegistryKind = registryKind;
        ExternalConnectionString = externalConnectionString;
        Image = image;
        AddEndpoint(new EndpointAnnotation("tcp", "tcp", "tcp", 6379, external: false));
    }

    public override ResourceKind Kind => ResourceKind.Registry;

    public ParameterResource Password { get; }

    public RegistryKind RegistryKind { get; }

    public string? ExternalConnectionString { get; }

    /// <summary>The container image written to the manifest (<c>redis</c> or a Garnet image).</summary>
    public string Image { get; }

    public ValueExpression ConnectionString => new RegistryConnectionString(this);

    /// <summary>Set by the orchestrator once the server is up.</summary>
    internal void SetRuntimeConnectionString(string value) => _runtimeConnectionString = value;

    internal string RuntimeConnectionString => _runtimeConnectionString
        ?? throw new InvalidOperationException($"Registry '{Name}' has not been started.");

    /// <summary>The manifest form of the connection string, as Aspire's Redis resource writes it.</summary>
    public ValueExpression ManifestConnectionString => ValueExpression.Concat(
        new EndpointReference(this, "tcp", EndpointProperty.Host),
        ":",
        new EndpointReference(this, "tcp", EndpointProperty.Port),
        ",password=",
        new ParameterReference(Password));

    private sealed class RegistryConnectionString(RegistryResource registry) : ValueExpression
    {
        public override string Resolve() => registry.RuntimeConnectionString;

        public override string ToManifest() => $"{{{registry.Name}.connectionString}}";
    }
}
