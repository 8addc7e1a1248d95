namespace HlsCdn.AppHost.Registry;

/// <summary>What serves the registry in run mode (<c>Registry:Kind</c>). In publish mode it is always Aspire's Redis.</summary>
public enum RegistryKind
{
    /// <summary>The embedded Garnet server, a .NET project: needs nothing but the .NET SDK (the default).</summary>
    Garnet,

    /// <summary><c>redis-server</c> from the PATH.</summary>
    RedisServer,
}
