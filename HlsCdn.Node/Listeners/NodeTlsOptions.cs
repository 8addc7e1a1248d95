namespace HlsCdn.Node.Listeners;

/// <summary>The TLS listener, bound from <c>Node:Tls</c> (original names TLS_*).</summary>
public sealed class NodeTlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node:Tls";

    /// <summary>Listen with HTTPS (<c>wss://</c>) [TLS_ENABLED].</summary>
    public bool Enabled { get; set; }

    /// <summary>The HTTPS port [TLS_PORT]. Default 8443 (the original used 443; a non-root process cannot bind it).</summary>
    public int Port { get; set; } = 8443;

    /// <summary>Address to bind; empty means every address [TLS_BIND_ADDRESS].</summary>
    public string? BindAddress { get; set; }

    /// <summary>PEM certificate (chain) file [TLS_CERTIFICATE].</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file [TLS_PRIVATE_KEY].</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>How often the files are checked for a new certificate, in seconds [TLS_CHECK_RELOAD_SECONDS].</summary>
    public int CheckReloadSeconds { get; set; } = 60;
}
