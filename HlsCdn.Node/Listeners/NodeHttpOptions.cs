namespace HlsCdn.Node.Listeners;

/// <summary>The plain HTTP listener, bound from <c>Node:Http</c> (original names HTTP_*).</summary>
public sealed class NodeHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node:Http";

    /// <summary>Listen with plain HTTP (<c>ws://</c>) [HTTP_ENABLED]. False leaves only the TLS listener.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The HTTP port [HTTP_PORT]. When set it wins over ASP.NET Core's own address settings (<c>ASPNETCORE_URLS</c>,
    /// <c>HTTP_PORTS</c>, <c>Kestrel:Endpoints</c>); unset or blank, those apply, and without them the role's default
    /// port on localhost. Text, as the variable is: a value that is no port number stops start-up with this setting's
    /// own message, as it always has.
    /// </summary>
    public string? Port { get; set; }

    /// <summary>The port when one is set (start-up validation has checked it is a port number).</summary>
    internal int? PortNumber => string.IsNullOrWhiteSpace(Port) ? null : int.Parse(Port, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Address the HTTP port is bound to; empty means every address [HTTP_BIND_ADDRESS]. Only with <see cref="Port"/>.</summary>
    public string? BindAddress { get; set; }

    /// <summary>The role's port on localhost when no address is configured at all (set by the host, not bound).</summary>
    internal int DefaultPort { get; set; }
}
