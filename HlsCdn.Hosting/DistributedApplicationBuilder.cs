using System.Reflection;
using System.Security.Cryptography;
using HlsCdn.Hosting.Model;
using Microsoft.Extensions.Configuration;

namespace HlsCdn.Hosting;

/// <summary>Collects the application's resources; <c>DistributedApplication.CreateBuilder(args)</c> makes one.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    internal DistributedApplicationBuilder(string[] args, DistributedApplicationOptions? options)
    {
        options ??= new DistributedApplicationOptions();
        var entry = options.AppHostAssembly ?? DistributedApplication.InterceptedAppHost ?? Assembly.GetEntryAssembly();
        AppHostDirectory = options.AppHostDirectory
            ?? Metadata(entry, "AppHostProjectDirectory")
            ?? AppContext.BaseDirectory;
        BuildConfiguration = Metadata(entry, "AppHostConfiguration") ?? "Debug";
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppHostDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables();
        Configuration = configuration.AddCommandLine(args).Build();
        ExecutionContext = DistributedApplicationExecutionContext.FromConfiguration(Configuration);
        SolutionDirectory = options.SolutionDirectory ?? FindSolutionDirectory(AppHostDirectory);
    }

    public IConfiguration Configuration { get; }

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    /// <summary>The AppHost project's directory: the manifest's project paths and run-mode working directories start here.</summary>
    public string AppHostDirectory { get; }

    /// <summary>The directory holding the solution; <c>AddProject("X", "HlsCdn.Y")</c> finds <c>HlsCdn.Y/HlsCdn.Y.csproj</c> under it.</summary>
    public string SolutionDirectory { get; }

    /// <summary>The AppHost's build configuration, whose output of the referenced projects is run.</summary>
    public string BuildConfiguration { get; }

    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>The parameter whose value signs the dashboard player's pull tokens, if any.</summary>
    public ParameterResource? PlayerTokenSecret { get; set; }

    /// <summary>Adds a .NET project, given by its name (a folder of the solution) or a path to its project file.</summary>
    public IResourceBuilder<ProjectResource> AddProject(string name, string project)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        var path = project.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(Path.Combine(AppHostDirectory, project))
            : Path.Combine(SolutionDirectory, project, project + ".csproj");
        return Add(new ProjectResource(name, path));
    }

    /// <summary>Adds a program run as a child process.</summary>
    public IResourceBuilder<ExecutableResource> AddExecutable(string name, string command, string? workingDirectory = null, params string[] args)
    {
        var builder = Add(new ExecutableResource(name, command, workingDirectory ?? AppHostDirectory));
        return builder.WithArgs(args.Select(ValueExpression.Literal).ToArray());
    }

    /// <summary>
    /// Adds a parameter: its value comes from configuration <c>Parameters:{name}</c> (Aspire's convention) or, for a
    /// secret, is generated once per run; the manifest asks the deployment tool to generate it.
    /// </summary>
    public IResourceBuilder<ParameterResource> AddParameter(string name, bool secret = true, int generatedMinLength = 22)
    {
        var configured = Configuration["Parameters:" + name];
        return Add(new ParameterResource(
            name,
            () => string.IsNullOrEmpty(configured) ? GenerateSecret(generatedMinLength) : configured,
            secret,
            generatedMinLength));
    }

    /// <summary>Adds the Redis-protocol registry (see <see cref="RegistryOptions"/> for how it is provided in run mode).</summary>
    public IResourceBuilder<RegistryResource> AddRegistry(string name)
    {
        var options = Configuration.Bind<RegistryOptions>(RegistryOptions.SectionName);
        var kind = options.ParseKind();
        var password = AddParameter(name + "-password");
        return Add(new RegistryResource(name, password.Resource, kind, options.ConnectionString, options.Image));
    }

    public DistributedApplication Build() => new(this);

    /// <summary>A URL-safe random secret of <paramref name="length"/> letters and digits.</summary>
    public static string GenerateSecret(int length = 22)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, Math.Max(length, 16));
    }

    private ResourceBuilder<T> Add<T>(T resource)
        where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' has already been added.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    private static string? Metadata(Assembly? assembly, string key) =>
        assembly?.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

    private static string FindSolutionDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.sln").Any() || dir.EnumerateFiles("*.slnx").Any())
            {
                return dir.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(start, ".."));
    }
}

/// <summary>Overrides for hosts other than the AppHost itself (tests).</summary>
public sealed class DistributedApplicationOptions
{
    public Assembly? AppHostAssembly { get; init; }

    public string? AppHostDirectory { get; init; }

    public string? SolutionDirectory { get; init; }
}
