using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Listeners;

/// <summary>Log messages of the TLS listener's certificate (source-generated; event ids 106-107). Never a key.</summary>
internal static partial class TlsLoggingExtensions
{
    [LoggerMessage(106, LogLevel.Information, "TLS certificate loaded: subject {Subject}, thumbprint {Thumbprint}, expires {NotAfter}")]
    public static partial void CertificateLoaded(this ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(107, LogLevel.Error, "TLS certificate files changed but could not be loaded; keeping the current certificate: {Error}")]
    public static partial void CertificateReloadFailed(this ILogger logger, string error);
}
