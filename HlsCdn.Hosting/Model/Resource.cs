namespace HlsCdn.Hosting.Model;

/// <summary>What kind of thing a resource is; the dashboard and the manifest writer switch on it.</summary>
public enum ResourceKind
{
    Project,
    Executable,
    Registry,
    Parameter,
}

/// <summary>A named part of the application: a project, an executable, the registry or a parameter.</summary>
public abstract class Resource
{
    private readonly List<EndpointAnnotation> _endpoints = [];
    private readonly List<Resource> _references = [];
    private readonly List<Resource> _waitFor = [];
    private readonly List<EnvironmentEntry> _environment = [];
    private readonly List<ValueExpression> _args = [];

    protected Resource(string name)
    {
        ResourceNames.Validate(name);
        Name = name;
    }

    /// <summary>The resource's name: unique in the application, lower case, as Aspire requires.</summary>
    public string Name { get; }

    public abstract ResourceKind Kind { get; }

    public IReadOnlyList<EndpointAnnotation> Endpoints => _endpoints;

    /// <summary>Resources whose connection information this one receives (connection strings, service discovery).</summary>
    public IReadOnlyList<Resource> References => _references;

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public IReadOnlyList<Resource> WaitsFor => _waitFor;

    /// <summary>Environment set explicitly with <c>WithEnvironment</c>, in declaration order.</summary>
    public IReadOnlyList<EnvironmentEntry> Environment => _environment;

    public IReadOnlyList<ValueExpression> Args => _args;

    /// <summary>Path polled for readiness on the resource's http endpoint; null when the resource has no health check.</summary>
    public string? HealthCheckPath { get; internal set; }

    public bool ExcludedFromManifest { get; internal set; }

    /// <summary>Whether a resource that exits on its own is started again.</summary>
    public bool RestartOnExit { get; internal set; }

    /// <summary>Free-form labels (for instance the node role or region) the dashboard shows and groups by.</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public EndpointAnnotation? GetEndpoint(string name) =>
        _endpoints.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    internal void AddEndpoint(EndpointAnnotation endpoint)
    {
        if (GetEndpoint(endpoint.Name) is not null)
        {
            throw new InvalidOperationException($"Resource '{Name}' already has an endpoint named '{endpoint.Name}'.");
        }

        _endpoints.Add(endpoint);
    }

    internal void AddReference(Resource resource)
    {
        if (ReferenceEquals(resource, this))
        {
            throw new InvalidOperationException($"Resource '{Name}' cannot reference itself.");
        }

        if (!_references.Contains(resource))
        {
            _references.Add(resource);
        }
    }

    internal void AddWaitFor(Resource resource)
    {
        if (ReferenceEquals(resource, this))
        {
            throw new InvalidOperationException($"Resource '{Name}' cannot wait for itself.");
        }

        if (!_waitFor.Contains(resource))
        {
            _waitFor.Add(resource);
        }
    }

    internal void SetEnvironment(string key, ValueExpression value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _environment.RemoveAll(e => string.Equals(e.Key, key, StringComparison.Ordinal));
        _environment.Add(new EnvironmentEntry(key, value));
    }

    internal void AddArgs(IEnumerable<ValueExpression> args) => _args.AddRange(args);

    public override string ToString() => $"{Kind} {Name}";
}

/// <summary>One environment variable: its name and the value, resolved at start (run) or written as an expression (manifest).</summary>
public sealed record EnvironmentEntry(string Key, ValueExpression Value);

/// <summary>A .NET project run from its build output and published as <c>project.v0</c>.</summary>
public sealed class ProjectResource(string name, string projectPath) : Resource(name)
{
    /// <summary>Full path of the project file.</summary>
    public string ProjectPath { get; } = projectPath;

    /// <summary>The project's name (its file name without extension), which is also its assembly name.</summary>
    public string ProjectName => System.IO.Path.GetFileNameWithoutExtension(ProjectPath);

    public override ResourceKind Kind => ResourceKind.Project;
}

/// <summary>Any program run as a child process.</summary>
public sealed class ExecutableResource(string name, string command, string workingDirectory) : Resource(name)
{
    public string Command { get; } = command;

    public string WorkingDirectory { get; } = workingDirectory;

    public override ResourceKind Kind => ResourceKind.Executable;
}

/// <summary>A value supplied at deployment (or configuration) time, possibly a generated secret.</summary>
public sealed class ParameterResource : Resource
{
    // Resolved once even when resources that use it start concurrently: a generated secret must be one value per run.
    private readonly Lazy<string> _value;

    internal ParameterResource(string name, Func<string> value, bool secret, int generatedMinLength) : base(name)
    {
        _value = new Lazy<string>(value, LazyThreadSafetyMode.ExecutionAndPublication);
        Secret = secret;
        GeneratedMinLength = generatedMinLength;
    }

    public bool Secret { get; }

    /// <summary>When above zero the deployment tool generates the value (with at least this many characters).</summary>
    public int GeneratedMinLength { get; }

    public override ResourceKind Kind => ResourceKind.Parameter;

    /// <summary>The value in run mode: configured, else generated once per run.</summary>
    public string Value => _value.Value;
}
