using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Listeners;

/// <summary>
/// The TLS listener's current certificate (PEM certificate + key files). Kestrel asks it for every handshake; it is
/// reloaded when either file's last-write time changes. A new pair that does not load keeps the old certificate.
/// </summary>
public sealed class TlsCertificateStore(IOptions<NodeTlsOptions> options, ILogger<TlsCertificateStore> logger)
{
    private readonly Lock _gate = new();
    private X509Certificate2? _current;
    private (DateTime Certificate, DateTime Key) _seen;

    /// <summary>The certificate to present (loaded on first use; start-up validation has checked the files).</summary>
    public X509Certificate2 Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            if (current is not null)
            {
                return current;
            }

            lock (_gate)
            {
                if (_current is null)
                {
                    var times = WriteTimes();
                    Volatile.Write(ref _current, Load());
                    _seen = times;
                }

                return _current;
            }
        }
    }

    /// <summary>Loads the files again if they changed since the last look. Returns whether a new certificate is in use.</summary>
    public bool ReloadIfChanged()
    {
        lock (_gate)
        {
            (DateTime, DateTime) times;
            try
            {
                times = WriteTimes();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.CertificateReloadFailed(ex.Message);
                return false;
            }

            if (_current is not null && times == _seen)
            {
                return false;
            }

            // Remember these times even if loading fails: a bad pair is reported once, not at every check.
            _seen = times;
            try
            {
                Volatile.Write(ref _current, Load());
                return true;
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                logger.CertificateReloadFailed(ex.Message);
                return false;
            }
        }
    }

    private (DateTime, DateTime) WriteTimes()
    {
        var o = options.Value;
        return (File.GetLastWriteTimeUtc(o.CertificatePath!), File.GetLastWriteTimeUtc(o.PrivateKeyPath!));
    }

    private X509Certificate2 Load()
    {
        var o = options.Value;
        var certificate = X509Certificate2.CreateFromPemFile(o.CertificatePath!, o.PrivateKeyPath);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException("the key file does not hold the certificate's private key");
        }

        // The old certificate is not disposed: a handshake under way may still use it.
        logger.CertificateLoaded(certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime());
        return certificate;
    }
}
