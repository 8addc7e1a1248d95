using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HlsCdn.AppHost.Tests;

/// <summary>
/// The deployment manifest Aspire writes for the AppHost (<c>--publisher manifest</c>, as azd runs it), written once
/// for the class: valid against Aspire's schema, the registry Aspire's Redis, the nodes projects, secrets parameters.
/// </summary>
public sealed class ManifestTests(ManifestTests.Manifest manifest) : IClassFixture<ManifestTests.Manifest>
{
    [Fact]
    public void Manifest_is_valid_against_the_Aspire_schema() => Assert.Empty(Validate(manifest.Json));

    [Fact]
    public void The_validator_rejects_a_broken_manifest()
    {
        var broken = JsonNode.Parse(manifest.Json)!;
        broken["resources"]!["publish-1"]!.AsObject().Remove("path");
        broken["resources"]!["registry"]!["bindings"]!["tcp"]!["protocol"] = "sctp";
        var errors = Validate(broken.ToJsonString());
        Assert.Contains(errors, e => e.StartsWith("$.resources.publish-1: matches 0 of the oneOf", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.resources.registry: matches 0 of the oneOf", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("$.resources.publish-2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_registry_is_Aspire_s_Redis_with_a_generated_password_parameter()
    {
        var resources = manifest.Document.RootElement.GetProperty("resources");
        var registry = resources.GetProperty("registry");
        Assert.Equal("container.v0", registry.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/redis:", registry.GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(
            "{registry.bindings.tcp.host}:{registry.bindings.tcp.port},password={registry-password.value}",
            registry.GetProperty("connectionString").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(6379, registry.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        AssertSecretParameter(resources, "registry-password");
    }

    [Fact]
    public void Nodes_are_projects_wired_by_reference_and_secrets_are_generated_parameters()
    {
        var resources = manifest.Document.RootElement.GetProperty("resources");
        Assert.False(resources.TryGetProperty("tester", out _), "the tester runs locally only");

        foreach (var name in new[] { "publish-1", "publish-2", "gateway-eu", "gateway-us", "edge-eu-1", "edge-eu-2", "edge-us-1", "edge-us-2" })
        {
            var node = resources.GetProperty(name);
            Assert.Equal("project.v0", node.GetProperty("type").GetString());
            var path = node.GetProperty("path").GetString()!;
            Assert.False(Path.IsPathRooted(path));
            Assert.EndsWith(name.StartsWith("publish", StringComparison.Ordinal) ? "HlsCdn.PublishNode/HlsCdn.PublishNode.csproj" : "HlsCdn.EdgeNode/HlsCdn.EdgeNode.csproj", path, StringComparison.Ordinal);
            var env = node.GetProperty("env");
            Assert.Equal("{pull-secret.value}", env.GetProperty("PULL_SECRET").GetString());
            Assert.Equal("{push-secret.value}", env.GetProperty("PUSH_SECRET").GetString());
            Assert.Equal($"ws://{{{name}.bindings.http.host}}:{{{name}.bindings.http.port}}/", env.GetProperty("Node__ExternalUrl").GetString());
            var http = node.GetProperty("bindings").GetProperty("http");
            Assert.Equal("http", http.GetProperty("scheme").GetString());
            // Encoders and players reach publish nodes and edges; gateways are internal.
            Assert.Equal(!name.StartsWith("gateway", StringComparison.Ordinal), http.TryGetProperty("external", out var external) && external.GetBoolean());
            if (name.StartsWith("edge", StringComparison.Ordinal))
            {
                var gateway = "gateway-" + name.Split('-')[1];
                Assert.Equal($"{{{gateway}.bindings.http.url}}", env.GetProperty($"services__{gateway}__http__0").GetString());
                Assert.Equal(gateway, env.GetProperty("Node__Relay__UpstreamService").GetString());
                Assert.False(env.TryGetProperty("ConnectionStrings__registry", out _));
            }
            else
            {
                Assert.Equal("{registry.connectionString}", env.GetProperty("ConnectionStrings__registry").GetString());
            }
        }

        AssertSecretParameter(resources, "push-secret");
        AssertSecretParameter(resources, "pull-secret");
    }

    private static void AssertSecretParameter(JsonElement resources, string name)
    {
        var parameter = resources.GetProperty(name);
        Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
        Assert.Equal($"{{{name}.inputs.value}}", parameter.GetProperty("value").GetString());
        var input = parameter.GetProperty("inputs").GetProperty("value");
        Assert.True(input.GetProperty("secret").GetBoolean());
        Assert.True(input.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32() >= 22);
    }

    private static List<string> Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SchemaValidator.Load(Path.Combine(AppContext.BaseDirectory, "aspire-manifest.schema.json")).Validate(document.RootElement);
    }

    /// <summary>The manifest, written by running the built AppHost exactly as azd does (<c>--publisher manifest --output-path</c>).</summary>
    public sealed class Manifest : IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("hlscdn-manifest-").FullName;

        public string Json { get; private set; } = string.Empty;

        public JsonDocument Document { get; private set; } = JsonDocument.Parse("{}");

        public async ValueTask InitializeAsync()
        {
            var path = Path.Combine(_directory, "aspire-manifest.json");
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = AppHostBuild.ProjectDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { AppHostBuild.Dll, "--publisher", "manifest", "--output-path", path })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"the AppHost exited with {process.ExitCode}\n{await output}\n{await error}");
            Json = await File.ReadAllTextAsync(path);
            Document = JsonDocument.Parse(Json);
        }

        public ValueTask DisposeAsync()
        {
            Document.Dispose();
            Directory.Delete(_directory, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
