namespace HlsCdn.Hosting.Model;

/// <summary>
/// The environment a resource receives, following Aspire's conventions: connection strings and service discovery
/// entries for references, OpenTelemetry settings, the listening URLs, then the resource's own variables.
/// </summary>
public static class ResourceEnvironment
{
    /// <summary>What the resource gets in this run (values resolved).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForRun(Resource resource, RunEnvironmentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(settings);
        var entries = new List<KeyValuePair<string, string>>();
        if (resource.Kind == ResourceKind.Project)
        {
            entries.Add(new("DOTNET_ENVIRONMENT", settings.EnvironmentName));
            entries.Add(new("ASPNETCORE_ENVIRONMENT", settings.EnvironmentName));
        }

        var urls = resource.Endpoints.Where(e => !e.PublishOnly && e.Scheme is "http" or "https").Select(e => e.Url).ToList();
        if (urls.Count > 0 && resource.Kind == ResourceKind.Project)
        {
            entries.Add(new("ASPNETCORE_URLS", string.Join(';', urls)));
        }

        entries.Add(new("OTEL_SERVICE_NAME", resource.Name));
        entries.Add(new("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + settings.InstanceId(resource)));
        if (!string.IsNullOrEmpty(settings.OtlpEndpoint))
        {
            entries.Add(new("OTEL_EXPORTER_OTLP_ENDPOINT", settings.OtlpEndpoint));
            entries.Add(new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true"));
            entries.Add(new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true"));
            entries.Add(new("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory"));
        }

        foreach (var entry in FromReferences(resource, publish: false).Concat(resource.Environment))
        {
            entries.Add(new(entry.Key, entry.Value.Resolve()));
        }

        return entries;
    }

    /// <summary>What the manifest writes for the resource (values as manifest expressions).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForManifest(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var entries = new List<KeyValuePair<string, string>>();
        if (resource.Kind == ResourceKind.Project)
        {
            entries.Add(new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true"));
            entries.Add(new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true"));
            entries.Add(new("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory"));
            entries.Add(new("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true"));
            if (resource.GetEndpoint("http") is not null)
            {
                entries.Add(new("HTTP_PORTS", new EndpointReference(resource, "http", EndpointProperty.TargetPort).ToManifest()));
            }
        }

        foreach (var entry in FromReferences(resource, publish: true).Concat(resource.Environment))
        {
            entries.Add(new(entry.Key, entry.Value.ToManifest()));
        }

        return entries;
    }

    /// <summary>The variables a reference adds: <c>ConnectionStrings__{name}</c> or <c>services__{name}__{endpoint}__0</c>.</summary>
    public static IEnumerable<EnvironmentEntry> FromReferences(Resource resource, bool publish)
    {
        ArgumentNullException.ThrowIfNull(resource);
        foreach (var reference in resource.References)
        {
            if (reference is IResourceWithConnectionString withConnectionString)
            {
                yield return new EnvironmentEntry("ConnectionStrings__" + reference.Name, new ConnectionStringReference(withConnectionString));
                continue;
            }

            if (reference is ParameterResource parameter)
            {
                yield return new EnvironmentEntry(parameter.Name, new ParameterReference(parameter));
                continue;
            }

            foreach (var endpoint in reference.Endpoints.Where(e => e.Scheme is "http" or "https" && (publish || !e.PublishOnly)))
            {
                yield return new EnvironmentEntry(
                    $"services__{reference.Name}__{endpoint.Name}__0",
                    new EndpointReference(reference, endpoint.Name));
            }
        }
    }
}

/// <summary>Run-mode facts the environment needs that the model does not hold.</summary>
public sealed class RunEnvironmentSettings
{
    private readonly Dictionary<string, string> _instanceIds = new(StringComparer.Ordinal);

    public string EnvironmentName { get; init; } = "Development";

    public string? OtlpEndpoint { get; init; }

    /// <summary>A stable id per resource for this run (<c>service.instance.id</c>).</summary>
    public string InstanceId(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_instanceIds)
        {
            if (!_instanceIds.TryGetValue(resource.Name, out var id))
            {
                id = resource.Name + "-" + Guid.NewGuid().ToString("N")[..8];
                _instanceIds[resource.Name] = id;
            }

            return id;
        }
    }
}
