using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.Listeners;

/// <summary>
/// Checks <see cref="NodeTlsOptions"/> at start-up; with TLS enabled, that the certificate and key files are readable
/// and are a certificate with its private key. Every message names the setting and its original variable.
/// </summary>
internal sealed class NodeTlsOptionsValidator : OptionsValidator<NodeTlsOptions>
{
    protected override void Check(NodeTlsOptions options, List<string> failures)
    {
        OptionsValidation.Range(failures, "Node:Tls:Port (TLS_PORT)", options.Port, 0, 65535);
        if (!string.IsNullOrWhiteSpace(options.BindAddress) && options.BindAddress is not ("*" or "0.0.0.0") && !IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"Node:Tls:BindAddress (TLS_BIND_ADDRESS) must be an IP address, got '{options.BindAddress}'.");
        }

        OptionsValidation.Range(failures, "Node:Tls:CheckReloadSeconds (TLS_CHECK_RELOAD_SECONDS)", options.CheckReloadSeconds, 1, 86_400);

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
}
