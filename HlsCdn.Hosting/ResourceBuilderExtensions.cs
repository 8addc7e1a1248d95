using HlsCdn.Hosting.Model;

namespace HlsCdn.Hosting;

/// <summary>The fluent declarations of an AppHost's <c>Program.cs</c>, named as in Aspire.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>
    /// Gives <paramref name="builder"/> what it needs to reach <paramref name="source"/>, exactly as Aspire injects it:
    /// <c>ConnectionStrings__{name}</c> for a resource with a connection string, <c>services__{name}__{endpoint}__0</c>
    /// for each http(s) endpoint otherwise. The referenced resource is started (and healthy) first.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> source)
        where T : Resource
    {
        builder.Resource.AddReference(source.Resource);
        builder.Resource.AddWaitFor(source.Resource);
        return builder;
    }

    /// <summary>References every resource in <paramref name="sources"/>.</summary>
    public static IResourceBuilder<T> WithReferences<T>(this IResourceBuilder<T> builder, IEnumerable<IResourceBuilder<Resource>> sources)
        where T : Resource
    {
        foreach (var source in sources)
        {
            builder.WithReference(source);
        }

        return builder;
    }

    /// <summary>Starts <paramref name="builder"/>'s resource only once <paramref name="dependency"/> is ready (healthy when it has a health check).</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        builder.Resource.AddWaitFor(dependency.Resource);
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, ValueExpression value)
        where T : Resource
    {
        builder.Resource.SetEnvironment(name, value);
        return builder;
    }

    /// <summary>Sets <paramref name="name"/> to a value computed from the resource itself (for instance its own endpoint).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, Func<IResourceBuilder<T>, ValueExpression> value)
        where T : Resource =>
        builder.WithEnvironment(name, value(builder));

    /// <summary>Sets <paramref name="name"/> to a parameter's value (<c>{parameter.value}</c> in the manifest).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : Resource =>
        builder.WithEnvironment(name, new ParameterReference(parameter.Resource));

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params ValueExpression[] args)
        where T : Resource
    {
        builder.Resource.AddArgs(args);
        return builder;
    }

    /// <summary>Adds an http endpoint: a free loopback port in run mode (<c>ASPNETCORE_URLS</c>), a binding with <paramref name="targetPort"/> in the manifest.</summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, string name = "http", int targetPort = 8080, bool external = false)
        where T : Resource
    {
        builder.Resource.AddEndpoint(new EndpointAnnotation(name, "http", "http", targetPort, external));
        return builder;
    }

    /// <summary>
    /// Adds an https endpoint for deployment only: the platform's ingress terminates TLS and forwards to
    /// <paramref name="targetPort"/>. Locally the resource is reached over its http endpoint.
    /// </summary>
    public static IResourceBuilder<T> WithHttpsEndpoint<T>(this IResourceBuilder<T> builder, string name = "https", int targetPort = 8080, bool external = false)
        where T : Resource
    {
        builder.Resource.AddEndpoint(new EndpointAnnotation(name, "https", "http", targetPort, external) { PublishOnly = true });
        return builder;
    }

    /// <summary>Polls <paramref name="path"/> on the http endpoint; the resource counts as ready once it answers 200.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health")
        where T : Resource
    {
        if (builder.Resource.GetEndpoint("http") is null)
        {
            throw new InvalidOperationException($"Resource '{builder.Resource.Name}' needs an http endpoint for an http health check.");
        }

        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    /// <summary>Leaves the resource out of the deployment manifest (it runs locally only).</summary>
    public static IResourceBuilder<T> ExcludeFromManifest<T>(this IResourceBuilder<T> builder)
        where T : Resource
    {
        builder.Resource.ExcludedFromManifest = true;
        return builder;
    }

    /// <summary>Starts the resource again, after a short delay, when it exits on its own.</summary>
    public static IResourceBuilder<T> WithRestartOnExit<T>(this IResourceBuilder<T> builder, bool restart = true)
        where T : Resource
    {
        builder.Resource.RestartOnExit = restart;
        return builder;
    }

    /// <summary>Attaches a label (role, region, ...) the dashboard shows.</summary>
    public static IResourceBuilder<T> WithLabel<T>(this IResourceBuilder<T> builder, string key, string value)
        where T : Resource
    {
        builder.Resource.Labels[key] = value;
        return builder;
    }

    /// <summary>A reference to one of the resource's endpoints, for use in environment values and arguments.</summary>
    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string name = "http")
        where T : Resource
    {
        if (builder.Resource.GetEndpoint(name) is null)
        {
            throw new InvalidOperationException($"Resource '{builder.Resource.Name}' has no endpoint '{name}'.");
        }

        return new EndpointReference(builder.Resource, name);
    }

    /// <summary>The WebSocket URL of an http endpoint (<c>ws://host:port/</c>).</summary>
    public static ValueExpression GetWebSocketUrl<T>(this IResourceBuilder<T> builder, string endpointName = "http")
        where T : Resource
    {
        var endpoint = builder.GetEndpoint(endpointName);
        return ValueExpression.Concat("ws://", endpoint.With(EndpointProperty.Host), ":", endpoint.With(EndpointProperty.Port), "/");
    }
}
