using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HlsCdn.AppHost.Registry;

/// <summary>Adds the Redis-protocol registry the nodes share.</summary>
public static class RegistryResourceBuilderExtensions
{
    public const string EndpointName = "tcp";

    /// <summary>
    /// The registry: in publish mode Aspire's Redis resource (the manifest carries a real Redis); in run mode the
    /// external server of <c>ConnectionStrings:{name}</c> when one is configured, else a local process chosen by
    /// <c>Registry:Kind</c> (<c>garnet</c>, the default, or <c>redis-server</c>) with a generated password and a
    /// health check that pings it, so that <c>WaitFor</c> waits until it answers. Aspire's Redis container is never
    /// used in run mode: it needs a container engine.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRegistry(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddRedis(name);
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            return builder.AddConnectionString(name);
        }

        var kind = builder.Configuration.GetValue("Registry:Kind", RegistryKind.Garnet);
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        builder.AddResource(password);
        IResourceBuilder<IResourceWithConnectionString> registry = kind switch
        {
            RegistryKind.RedisServer => builder.AddResource(new RedisServerRegistryResource(name, builder.AppHostDirectory, password))
                .WithEndpoint(name: EndpointName, scheme: "tcp")
                .WithArgs(context =>
                {
                    var resource = (RedisServerRegistryResource)context.Resource;
                    context.Args.Add("--bind");
                    context.Args.Add("127.0.0.1");
                    context.Args.Add("--port");
                    context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                    context.Args.Add("--save");
                    context.Args.Add(string.Empty);
                    context.Args.Add("--appendonly");
                    context.Args.Add("no");
                    context.Args.Add("--requirepass");
                    context.Args.Add(resource.Password);
                }),
            _ => builder.AddGarnet(name, password),
        };

        return registry.WithRegistryHealthCheck();
    }

    /// <summary>
    /// The Garnet project resource. <c>WithProjectDefaults</c> (evaluation API, ASPIREPROJECTS001) is the one way to give a
    /// project resource of our own type (one with a connection string) the launch wiring <c>AddProject</c> gives.
    /// </summary>
    private static IResourceBuilder<GarnetRegistryResource> AddGarnet(this IDistributedApplicationBuilder builder, string name, ParameterResource password)
    {
#pragma warning disable ASPIREPROJECTS001
        return builder.AddResource(new GarnetRegistryResource(name, password))
            .WithAnnotation<IProjectMetadata>(new Projects.HlsCdn_Registry())
            .WithProjectDefaults(new ProjectResourceOptions { ExcludeLaunchProfile = true })
            .WithEndpoint(name: EndpointName, scheme: "tcp", env: "Registry__Port")
            .WithEnvironment("Registry__Password", password);
#pragma warning restore ASPIREPROJECTS001
    }

    /// <summary>A RESP health check (AspNetCore.HealthChecks.Redis, as Aspire's Redis has) on the registry's connection string.</summary>
    private static IResourceBuilder<IResourceWithConnectionString> WithRegistryHealthCheck(this IResourceBuilder<IResourceWithConnectionString> registry)
    {
        string? connectionString = null;
        var resource = registry.Resource;
        registry.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, ct) =>
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        var key = $"{resource.Name}_check";
        registry.ApplicationBuilder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{resource.Name}' is not known yet."),
            name: key);
        return registry.WithHealthCheck(key);
    }
}
