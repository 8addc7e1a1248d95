using HlsCdn.Hosting.Model;
using HlsCdn.Hosting.Registry;
using HlsCdn.Processes;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting.Orchestration;

/// <summary>Chooses how each resource runs: projects from their build output, executables, the registry in its configured form.</summary>
public sealed class ResourceRunnerFactory(
    ChildProcessLauncher launcher,
    OrchestratorOptions options,
    RegistryOptions registryOptions,
    RunEnvironmentSettings environment,
    string buildConfiguration,
    HttpClient http,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("HlsCdn.AppHost.Resources");

    public IResourceRunner? Create(Resource resource) => resource switch
    {
        ProjectResource project => Process(project, () => ProjectSpec(project)),
        ExecutableResource executable => Process(executable, () => ExecutableSpec(executable)),
        RegistryResource { RegistryKind: RegistryKind.Garnet } registry =>
            new GarnetRegistryRunner(new ResourceStatus(registry, hasHealthCheck: true), registry, options, _logger),
        RegistryResource { RegistryKind: RegistryKind.External } registry =>
            new ExternalRegistryRunner(new ResourceStatus(registry, hasHealthCheck: false), registry, options),
        RegistryResource registry => RedisServer(registry),
        _ => null,
    };

    private ProcessResourceRunner Process(Resource resource, Func<ProcessSpec> spec)
    {
        IHealthProbe? probe = null;
        if (resource.HealthCheckPath is { } path && resource.GetEndpoint("http") is { } endpoint)
        {
            probe = new LazyProbe(() => new HttpHealthProbe(http, new Uri(endpoint.Url + path)));
        }

        return new ProcessResourceRunner(new ResourceStatus(resource, probe is not null), spec, launcher, options, _logger, probe);
    }

    private ProcessSpec ProjectSpec(ProjectResource project)
    {
        var dll = ProjectOutputLocator.Find(project, buildConfiguration)
            ?? throw new FileNotFoundException(
                $"No build output of {project.ProjectName} for configuration {buildConfiguration} under {Path.GetDirectoryName(project.ProjectPath)}/bin: build the AppHost (it builds the projects it references).");
        var arguments = new List<string> { dll };
        arguments.AddRange(project.Args.Select(a => a.Resolve()));
        return new ProcessSpec(DotnetHost(), arguments, Path.GetDirectoryName(project.ProjectPath)!, ResourceEnvironment.ForRun(project, environment));
    }

    private ProcessSpec ExecutableSpec(ExecutableResource executable) => new(
        executable.Command,
        executable.Args.Select(a => a.Resolve()).ToList(),
        executable.WorkingDirectory,
        ResourceEnvironment.ForRun(executable, environment));

    private ProcessResourceRunner RedisServer(RegistryResource registry)
    {
        var endpoint = registry.GetEndpoint("tcp")!;
        var redisPath = registryOptions.RedisServerPath;
        var probe = new LazyProbe(() => new RespHealthProbe(EndpointAnnotation.Host, endpoint.Port, registry.Password.Value));
        return new ProcessResourceRunner(
            new ResourceStatus(registry, hasHealthCheck: true),
            () =>
            {
                var port = endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                registry.SetRuntimeConnectionString(RedisConnectionStrings.Loopback(endpoint.Port, registry.Password.Value));
                return new ProcessSpec(
                    redisPath,
                    ["--port", port, "--bind", EndpointAnnotation.Host, "--requirepass", registry.Password.Value, "--save", string.Empty, "--appendonly", "no"],
                    Path.GetTempPath(),
                    []);
            },
            launcher,
            options,
            _logger,
            probe);
    }

    /// <summary>The dotnet host running this AppHost (so children use the same runtime), else <c>dotnet</c> from the PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }
}
