using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Listeners;

/// <summary>Checks the certificate files every <see cref="NodeTlsOptions.CheckReloadSeconds"/> (only with TLS enabled).</summary>
internal sealed class TlsCertificateReloader(TlsCertificateStore store, IOptions<NodeTlsOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        _ = store.Current;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckReloadSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                store.ReloadIfChanged();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
