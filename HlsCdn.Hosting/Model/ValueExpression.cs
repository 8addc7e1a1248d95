namespace HlsCdn.Hosting.Model;

/// <summary>
/// A value that is known only once the application runs (a port, a connection string, a secret) and is written
/// as an Aspire manifest expression (<c>{gateway-eu.bindings.http.url}</c>) when publishing.
/// </summary>
public abstract class ValueExpression
{
    /// <summary>The value in this run; call after ports are allocated and the registry started.</summary>
    public abstract string Resolve();

    /// <summary>The value as the Aspire manifest writes it.</summary>
    public abstract string ToManifest();

    public static ValueExpression Literal(string value) => new LiteralExpression(value);

    public static ValueExpression Concat(params ValueExpression[] parts) => new ConcatExpression(parts);

    public static implicit operator ValueExpression(string value) => Literal(value);

    public static ValueExpression FromString(string value) => Literal(value);

    public override string ToString() => ToManifest();

    private sealed class LiteralExpression(string value) : ValueExpression
    {
        public override string Resolve() => value;

        // A literal brace would read as an expression in the manifest: Aspire escapes it by doubling.
        public override string ToManifest() => value.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
    }

    private sealed class ConcatExpression(ValueExpression[] parts) : ValueExpression
    {
        public override string Resolve() => string.Concat(parts.Select(p => p.Resolve()));

        public override string ToManifest() => string.Concat(parts.Select(p => p.ToManifest()));
    }
}

/// <summary>Which part of an endpoint an <see cref="EndpointReference"/> stands for.</summary>
public enum EndpointProperty
{
    Url,
    Host,
    Port,
    TargetPort,
}

/// <summary>A reference to a resource's endpoint (or one of its parts).</summary>
public sealed class EndpointReference(Resource resource, string endpointName, EndpointProperty property = EndpointProperty.Url) : ValueExpression
{
    public Resource Resource { get; } = resource;

    public string EndpointName { get; } = endpointName;

    public EndpointProperty Property { get; } = property;

    public EndpointReference With(EndpointProperty property) => new(Resource, EndpointName, property);

    private EndpointAnnotation Endpoint => Resource.GetEndpoint(EndpointName)
        ?? throw new InvalidOperationException($"Resource '{Resource.Name}' has no endpoint '{EndpointName}'.");

    public override string Resolve() => Property switch
    {
        EndpointProperty.Url => Endpoint.Url,
        EndpointProperty.Host => EndpointAnnotation.Host,
        EndpointProperty.Port => Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public override string ToManifest() => Property switch
    {
        EndpointProperty.Url => $"{{{Resource.Name}.bindings.{EndpointName}.url}}",
        EndpointProperty.Host => $"{{{Resource.Name}.bindings.{EndpointName}.host}}",
        EndpointProperty.Port => $"{{{Resource.Name}.bindings.{EndpointName}.port}}",
        _ => $"{{{Resource.Name}.bindings.{EndpointName}.targetPort}}",
    };
}

/// <summary>A resource's connection string (<c>{registry.connectionString}</c>).</summary>
public sealed class ConnectionStringReference(IResourceWithConnectionString resource) : ValueExpression
{
    public IResourceWithConnectionString Resource { get; } = resource;

    public override string Resolve() => Resource.ConnectionString.Resolve();

    public override string ToManifest() => $"{{{Resource.Name}.connectionString}}";
}

/// <summary>A parameter's value (<c>{push-secret.value}</c>).</summary>
public sealed class ParameterReference(ParameterResource parameter) : ValueExpression
{
    public ParameterResource Parameter { get; } = parameter;

    public override string Resolve() => Parameter.Value;

    public override string ToManifest() => $"{{{Parameter.Name}.value}}";
}

/// <summary>A resource other resources connect to with a connection string.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>The connection string; resolved in run mode, written as the resource's <c>connectionString</c> in the manifest.</summary>
    ValueExpression ConnectionString { get; }
}
