using HlsCdn.Hosting.Model;

namespace HlsCdn.Hosting;

/// <summary>Declares one resource fluently, as Aspire's <c>IResourceBuilder&lt;T&gt;</c> does.</summary>
public interface IResourceBuilder<out T>
    where T : class
{
    T Resource { get; }

    DistributedApplicationBuilder ApplicationBuilder { get; }
}

internal sealed class ResourceBuilder<T>(T resource, DistributedApplicationBuilder applicationBuilder) : IResourceBuilder<T>
    where T : Resource
{
    public T Resource { get; } = resource;

    public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;
}
