using System.Text;
using System.Text.Json;
using HlsCdn.Hosting.Model;

namespace HlsCdn.Hosting.Manifest;

/// <summary>
/// Writes the Aspire deployment manifest (schema aspire-8.0): projects as <c>project.v0</c>, the registry as
/// <c>container.v0</c>, parameters as <c>parameter.v0</c>; values that are only known at deployment as expressions.
/// </summary>
public static class ManifestWriter
{
    /// <summary>Writes the manifest to <paramref name="outputPath"/> (a file, or a directory to hold <c>aspire-manifest.json</c>); returns the file's full path.</summary>
    public static string WriteFile(DistributedApplicationBuilder builder, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var path = Path.GetFullPath(outputPath);
        if (Directory.Exists(path) || outputPath.EndsWith('/') || outputPath.EndsWith('\\'))
        {
            path = Path.Combine(path, "aspire-manifest.json");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Write(builder.Resources, Path.GetDirectoryName(path)!), new UTF8Encoding(false));
        return path;
    }

    /// <summary>The manifest's JSON; project paths are made relative to <paramref name="manifestDirectory"/>.</summary>
    public static string Write(IEnumerable<Resource> resources, string manifestDirectory)
    {
        ArgumentNullException.ThrowIfNull(resources);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/aspire-8.0.json");
            json.WriteStartObject("resources");
            foreach (var resource in resources.Where(r => !r.ExcludedFromManifest))
            {
                json.WriteStartObject(resource.Name);
                switch (resource)
                {
                    case ProjectResource project:
                        WriteProject(json, project, manifestDirectory);
                        break;
                    case RegistryResource registry:
                        WriteRegistry(json, registry);
                        break;
                    case ParameterResource parameter:
                        WriteParameter(json, parameter);
                        break;
                    case ExecutableResource executable:
                        WriteExecutable(json, executable, manifestDirectory);
                        break;
                    default:
                        throw new InvalidOperationException($"No manifest form for {resource}.");
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteProject(Utf8JsonWriter json, ProjectResource project, string manifestDirectory)
    {
        json.WriteString("type", "project.v0");
        json.WriteString("path", RelativePath(manifestDirectory, project.ProjectPath));
        WriteArgs(json, project.Args);
        WriteEnv(json, ResourceEnvironment.ForManifest(project));
        WriteBindings(json, project.Endpoints);
    }

    private static void WriteExecutable(Utf8JsonWriter json, ExecutableResource executable, string manifestDirectory)
    {
        json.WriteString("type", "executable.v0");
        json.WriteString("workingDirectory", RelativePath(manifestDirectory, executable.WorkingDirectory));
        json.WriteString("command", executable.Command);
        WriteArgs(json, executable.Args);
        WriteEnv(json, ResourceEnvironment.ForManifest(executable));
        WriteBindings(json, executable.Endpoints);
    }

    private static void WriteRegistry(Utf8JsonWriter json, RegistryResource registry)
    {
        // As Aspire's Redis resource writes it: the password reaches redis-server through the environment.
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString", registry.ManifestConnectionString.ToManifest());
        json.WriteString("image", registry.Image);
        json.WriteString("entrypoint", "/bin/sh");
        json.WriteStartArray("args");
        json.WriteStringValue("-c");
        json.WriteStringValue("redis-server --requirepass $REDIS_PASSWORD");
        json.WriteEndArray();
        WriteEnv(json, [new("REDIS_PASSWORD", new ParameterReference(registry.Password).ToManifest())]);
        WriteBindings(json, registry.Endpoints);
    }

    private static void WriteParameter(Utf8JsonWriter json, ParameterResource parameter)
    {
        json.WriteString("type", "parameter.v0");
        json.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        json.WriteStartObject("inputs");
        json.WriteStartObject("value");
        json.WriteString("type", "string");
        json.WriteBoolean("secret", parameter.Secret);
        if (parameter.GeneratedMinLength > 0)
        {
            json.WriteStartObject("default");
            json.WriteStartObject("generate");
            json.WriteNumber("minLength", parameter.GeneratedMinLength);

            // Letters and digits only: the value ends up in connection strings and URLs.
            json.WriteBoolean("special", false);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteArgs(Utf8JsonWriter json, IReadOnlyList<ValueExpression> args)
    {
        if (args.Count == 0)
        {
            return;
        }

        json.WriteStartArray("args");
        foreach (var arg in args)
        {
            json.WriteStringValue(arg.ToManifest());
        }

        json.WriteEndArray();
    }

    private static void WriteEnv(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, string>> env)
    {
        if (env.Count == 0)
        {
            return;
        }

        json.WriteStartObject("env");
        foreach (var (key, value) in env)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    private static void WriteBindings(Utf8JsonWriter json, IReadOnlyList<EndpointAnnotation> endpoints)
    {
        if (endpoints.Count == 0)
        {
            return;
        }

        json.WriteStartObject("bindings");
        foreach (var endpoint in endpoints)
        {
            json.WriteStartObject(endpoint.Name);
            json.WriteString("scheme", endpoint.Scheme);
            json.WriteString("protocol", "tcp");
            json.WriteString("transport", endpoint.Transport);
            if (endpoint.External)
            {
                json.WriteBoolean("external", true);
            }

            if (endpoint.TargetPort is { } targetPort)
            {
                json.WriteNumber("targetPort", targetPort);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static string RelativePath(string from, string to) => Path.GetRelativePath(from, to).Replace('\\', '/');
}
