namespace HlsCdn.AppHost.Registry;

/// <summary>The registry as <c>redis-server</c> from the PATH (<c>--Registry:Kind=redis-server</c>): memory only, password protected.</summary>
public sealed class RedisServerRegistryResource(string name, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, RegistryResourceBuilderExtensions.EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={Password}");
}
