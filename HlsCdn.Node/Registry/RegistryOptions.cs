namespace HlsCdn.Node.Registry;

/// <summary>Settings of the publish registry, bound from <c>Node:Registry</c> (original names in brackets).</summary>
public sealed class RegistryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node:Registry";

    /// <summary>Use the registry [PUB_REG_REDIS_ENABLED]. Default: on when a connection string or host is configured.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Name of the connection string (Aspire's <c>ConnectionStrings:{name}</c>).</summary>
    public string ConnectionName { get; set; } = "registry";

    /// <summary>A StackExchange.Redis connection string; wins over Host/Port/Password/UseTls. Default: <c>ConnectionStrings:{ConnectionName}</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Redis host [PUB_REG_REDIS_HOST].</summary>
    public string? Host { get; set; }

    /// <summary>Redis port [PUB_REG_REDIS_PORT].</summary>
    public int Port { get; set; } = 6379;

    /// <summary>Redis password [PUB_REG_REDIS_PASSWORD]. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Connect to Redis over TLS [PUB_REG_REDIS_USE_TLS].</summary>
    public bool UseTls { get; set; }

    /// <summary>Announcements are refreshed this often and expire after twice this [PUB_REG_REFRESH_INTERVAL_SECONDS].</summary>
    public int RefreshIntervalSeconds { get; set; } = 60;

    /// <summary>Prefix of registry keys (extension; empty = bare stream id, interoperable with original nodes).</summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>A lookup slower than this fails over to the next source in the lookup chain.</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromMilliseconds(750);

    /// <summary>After a failed announcement, retry this often until it succeeds.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    internal bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(Host);

    internal TimeSpan RefreshInterval => TimeSpan.FromSeconds(RefreshIntervalSeconds);

    internal TimeSpan Expiry => TimeSpan.FromSeconds(2L * RefreshIntervalSeconds);
}
