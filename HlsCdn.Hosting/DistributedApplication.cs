using System.Reflection;
using HlsCdn.Hosting.Dashboard;
using HlsCdn.Hosting.Manifest;
using HlsCdn.Hosting.Model;
using HlsCdn.Hosting.Orchestration;
using HlsCdn.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting;

/// <summary>
/// The application an AppHost declares: <see cref="Run"/> writes the manifest in publish mode, otherwise starts every
/// resource with the dashboard and stops them all on Ctrl+C (or SIGTERM).
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private static readonly AsyncLocal<Interception?> Interceptor = new();
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private ApplicationRunner? _runner;
    private DashboardServer? _dashboard;
    private ChildProcessLauncher? _launcher;
    private HttpClient? _http;

    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        Builder = builder;
        _loggers = LoggerFactory.Create(b => b
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            })
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning));
        _logger = _loggers.CreateLogger("HlsCdn.AppHost");
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args, null);

    public static DistributedApplicationBuilder CreateBuilder(string[] args, DistributedApplicationOptions options) => new(args, options);

    public DistributedApplicationBuilder Builder { get; }

    public IReadOnlyList<Resource> Resources => Builder.Resources;

    /// <summary>The local runner once started.</summary>
    public ApplicationRunner? Runner => _runner;

    /// <summary>The dashboard's URL once started (null when disabled or not started).</summary>
    public Uri? DashboardUrl => _dashboard?.Url;

    /// <summary>
    /// While set (in this async flow), <see cref="Run"/> hands the built application to <paramref name="capture"/>
    /// instead of running it: tests run an AppHost's <c>Main</c> to get its model, as Aspire.Hosting.Testing does.
    /// </summary>
    public static IDisposable InterceptRun(Action<DistributedApplication> capture, Assembly? appHostAssembly = null)
    {
        Interceptor.Value = new Interception(capture, appHostAssembly);
        return new Reset();
    }

    /// <summary>Runs an AppHost's entry point with <paramref name="args"/> and returns the application it builds, without running it.</summary>
    public static DistributedApplication CaptureFromEntryPoint(Assembly appHostAssembly, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(appHostAssembly);
        var entryPoint = appHostAssembly.EntryPoint ?? throw new ArgumentException("The assembly has no entry point.", nameof(appHostAssembly));
        DistributedApplication? captured = null;
        using (InterceptRun(app => captured = app, appHostAssembly))
        {
            entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
        }

        return captured ?? throw new InvalidOperationException("The AppHost did not build and run an application.");
    }

    /// <summary>The AppHost assembly of an interception in progress (the entry assembly is a test host then).</summary>
    internal static Assembly? InterceptedAppHost => Interceptor.Value?.AppHostAssembly;

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interceptor.Value is { } interception)
        {
            interception.Capture(this);
            return;
        }

        if (Builder.ExecutionContext.IsPublishMode)
        {
            var path = ManifestWriter.WriteFile(Builder, Builder.ExecutionContext.OutputPath!);
            Log.ManifestWritten(_logger, path);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Cancel);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Cancel);
        try
        {
            await StartAsync(stop.Token);
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM.
        }
        finally
        {
            await StopAsync();
        }

        void Cancel(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Starts the dashboard and every resource (without waiting for them to be healthy).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var orchestrator = Builder.Configuration.Bind<OrchestratorOptions>(OrchestratorOptions.SectionName);
        orchestrator.OtlpEndpoint ??= Builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        orchestrator.Validate();
        var registry = Builder.Configuration.Bind<RegistryOptions>(RegistryOptions.SectionName);
        var dashboard = Builder.Configuration.Bind<DashboardOptions>(DashboardOptions.SectionName);
        dashboard.Validate();

        _launcher = new ChildProcessLauncher();
        if (!_launcher.TiesChildrenToParent)
        {
            Log.NoParentDeathSignal(_logger);
        }

        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ports = new PortAllocator();
        var environment = new RunEnvironmentSettings
        {
            EnvironmentName = Builder.Configuration["DOTNET_ENVIRONMENT"] ?? "Development",
            OtlpEndpoint = orchestrator.OtlpEndpoint,
        };
        var factory = new ResourceRunnerFactory(
            _launcher, orchestrator, registry, environment, orchestrator.Configuration ?? Builder.BuildConfiguration, _http, _loggers);
        _runner = new ApplicationRunner(Resources, factory, ports, orchestrator, _loggers.CreateLogger("HlsCdn.AppHost.Orchestrator"));
        _runner.AllocatePorts();
        if (dashboard.Enabled)
        {
            _dashboard = new DashboardServer(this, _runner, _http, ports.AllocatePreferred(dashboard.Port), _loggers);
            await _dashboard.StartAsync(cancellationToken);
            Log.DashboardListening(_logger, _dashboard.Url.ToString());
        }

        await _runner.StartAsync(cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_runner is not null)
        {
            await _runner.StopAsync();
        }

        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
            _dashboard = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_runner is not null)
        {
            await _runner.DisposeAsync();
        }

        _launcher?.Dispose();
        _http?.Dispose();
        _loggers.Dispose();
    }

    private sealed record Interception(Action<DistributedApplication> Capture, Assembly? AppHostAssembly);

    private sealed class Reset : IDisposable
    {
        public void Dispose() => Interceptor.Value = null;
    }
}
