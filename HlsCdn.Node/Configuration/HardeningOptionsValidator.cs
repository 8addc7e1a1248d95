using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Configuration;

/// <summary>
/// Start-up checks of the hardening settings (shutdown, origins, rate limits, forwarded headers, TLS); every message
/// names the setting and its original variable. Registered beside <see cref="NodeOptionsValidator"/>.
/// </summary>
public sealed class HardeningOptionsValidator :
    IValidateOptions<NodeOptions>,
    IValidateOptions<NodeRateLimitOptions>,
    IValidateOptions<NodeForwardedHeadersOptions>,
    IValidateOptions<NodeTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var failures = new List<string>();
        NodeOptionsValidator.Positive(failures, "Node:ShutdownTimeout", options.ShutdownTimeout);
        if (options.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Node:ShutdownTimeout must be at most 10 minutes, got {options.ShutdownTimeout}.");
        }

        foreach (var origin in HardeningParsing.Split(options.AllowedOrigins))
        {
            if (origin != "null"
                && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0))
            {
                failures.Add($"Node:AllowedOrigins entries must be origins like https://player.example.com[:port], got '{origin}'.");
            }
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, NodeRateLimitOptions options)
    {
        var failures = new List<string>();
        NodeOptionsValidator.Range(failures, "Node:RateLimit:ConnectionsPerIp (RATE_LIMIT_CONNECTIONS)", options.ConnectionsPerIp, 0, 1_000_000);
        NodeOptionsValidator.Range(failures, "Node:RateLimit:RequestsPerSecond (RATE_LIMIT_REQ_PER_SEC)", options.RequestsPerSecond, 0, 1_000_000);
        NodeOptionsValidator.Range(failures, "Node:RateLimit:RequestBurst (RATE_LIMIT_REQ_BURST)", options.RequestBurst, 0, 1_000_000);
        Networks(failures, "Node:RateLimit:AllowList (RATE_LIMIT_WHITELIST)", options.AllowList);
        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, NodeForwardedHeadersOptions options)
    {
        var failures = new List<string>();
        foreach (var proxy in HardeningParsing.Split(options.KnownProxies))
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                failures.Add($"Node:ForwardedHeaders:KnownProxies entries must be IP addresses, got '{proxy}'.");
            }
        }

        foreach (var network in HardeningParsing.Split(options.KnownNetworks))
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                failures.Add($"Node:ForwardedHeaders:KnownNetworks entries must be CIDR ranges like 10.0.0.0/8, got '{network}'.");
            }
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, NodeTlsOptions options)
    {
        var failures = new List<string>();
        NodeOptionsValidator.Range(failures, "Node:Tls:Port (TLS_PORT)", options.Port, 0, 65535);
        NodeOptionsValidator.Range(failures, "Node:Tls:CheckReloadSeconds (TLS_CHECK_RELOAD_SECONDS)", options.CheckReloadSeconds, 1, 86_400);
        if (!string.IsNullOrWhiteSpace(options.BindAddress) && options.BindAddress is not ("*" or "0.0.0.0") && !IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"Node:Tls:BindAddress (TLS_BIND_ADDRESS) must be an IP address, got '{options.BindAddress}'.");
        }

        if (options.Enabled)
        {
            var certificateReadable = Readable(failures, "Node:Tls:CertificatePath (TLS_CERTIFICATE)", options.CertificatePath);
            var keyReadable = Readable(failures, "Node:Tls:PrivateKeyPath (TLS_PRIVATE_KEY)", options.PrivateKeyPath);
            if (certificateReadable && keyReadable)
            {
                try
                {
                    using var certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath!, options.PrivateKeyPath);
                    if (!certificate.HasPrivateKey)
                    {
                        failures.Add("Node:Tls:PrivateKeyPath (TLS_PRIVATE_KEY) does not hold the certificate's private key.");
                    }
                }
                catch (Exception ex) when (ex is CryptographicException or ArgumentException)
                {
                    failures.Add($"Node:Tls:CertificatePath (TLS_CERTIFICATE) and Node:Tls:PrivateKeyPath (TLS_PRIVATE_KEY) are not a PEM certificate and its private key: {ex.Message}");
                }
            }
        }

        return Result(failures);
    }

    private static bool Readable(List<string> failures, string setting, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{setting} is required when Node:Tls:Enabled (TLS_ENABLED) is set.");
            return false;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            failures.Add($"{setting} cannot be read ('{path}'): {ex.Message}");
            return false;
        }
    }

    private static void Networks(List<string> failures, string setting, string? list)
    {
        foreach (var entry in HardeningParsing.Split(list))
        {
            if (!HardeningParsing.TryParseNetwork(entry, out _))
            {
                failures.Add($"{setting} entries must be IP addresses or CIDR ranges like 10.0.0.0/8, got '{entry}'.");
            }
        }
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
