using System.Globalization;
using Garnet;
using Microsoft.Extensions.Options;

namespace HlsCdn.Registry;

/// <summary>Runs an embedded Garnet server for the lifetime of the host.</summary>
public sealed partial class GarnetRegistryService(IOptions<GarnetRegistryOptions> options, ILoggerFactory loggers, ILogger<GarnetRegistryService> logger)
    : IHostedService, IDisposable
{
    private GarnetServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        // Garnet's own command line fills in every default (Lua, stores, network) consistently.
        string[] arguments =
        [
            "--bind", o.BindAddress,
            "--port", o.Port.ToString(CultureInfo.InvariantCulture),
            "--auth", "Password",
            "--password", o.Password,
            "--memory", o.Memory,
            "--page", "1m",
            "--index", "16m",
            "--lua", "true",
        ];
        _server = new GarnetServer(arguments, loggers);
        _server.Start();
        Listening(logger, o.BindAddress, o.Port);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _server, null)?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Garnet registry listening on {Address}:{Port} (password protected, memory only)")]
    private static partial void Listening(ILogger logger, string address, int port);
}
