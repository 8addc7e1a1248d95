namespace HlsCdn.AppHost.Registry;

/// <summary>
/// The default registry in run mode: the embedded Garnet server (<c>HlsCdn.Registry</c>) run as a project, listening on
/// the port of its <c>tcp</c> endpoint, password protected. Its connection string is Redis-shaped.
/// </summary>
public sealed class GarnetRegistryResource(string name, ParameterResource password) : ProjectResource(name), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, RegistryResourceBuilderExtensions.EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={Password}");
}
