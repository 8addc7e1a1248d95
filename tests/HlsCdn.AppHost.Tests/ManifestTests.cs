using System.Text.Json;
using System.Text.Json.Nodes;
using HlsCdn.Hosting.Manifest;

namespace HlsCdn.AppHost.Tests;

public sealed class ManifestTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hlscdn-manifest-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static List<string> Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SchemaValidator.Load(Path.Combine(AppContext.BaseDirectory, "aspire-manifest.schema.json")).Validate(document.RootElement);
    }

    private string Publish(params string[] extra)
    {
        var path = Path.Combine(_directory, "aspire-manifest.json");
        AppHostModel.Capture(["--publisher", "manifest", "--output-path", path, .. extra]).Run();
        return path;
    }

    [Fact]
    public async Task Manifest_is_valid_against_the_Aspire_schema()
    {
        var json = await File.ReadAllTextAsync(Publish(), TestContext.Current.CancellationToken);
        Assert.Empty(Validate(json));
    }

    [Fact]
    public async Task The_validator_rejects_a_broken_manifest()
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Publish(), TestContext.Current.CancellationToken))!;
        manifest["resources"]!["publish-1"]!.AsObject().Remove("path");
        manifest["resources"]!["registry"]!["bindings"]!["tcp"]!["protocol"] = "sctp";
        var errors = Validate(manifest.ToJsonString());
        Assert.Contains(errors, e => e.StartsWith("$.resources.publish-1: matches 0 of the oneOf", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.resources.registry: matches 0 of the oneOf", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("$.resources.publish-2", StringComparison.Ordinal));
    }

    [Fact]
    public void Projects_registry_and_parameters_are_written_as_Aspire_does()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Publish()));
        var resources = document.RootElement.GetProperty("resources");
        Assert.False(resources.TryGetProperty("tester", out _), "the tester runs locally only");

        var edge = resources.GetProperty("edge-eu-1");
        Assert.Equal("project.v0", edge.GetProperty("type").GetString());
        var path = edge.GetProperty("path").GetString()!;
        Assert.False(Path.IsPathRooted(path));
        Assert.EndsWith("HlsCdn.EdgeNode/HlsCdn.EdgeNode.csproj", path, StringComparison.Ordinal);
        var env = edge.GetProperty("env");
        Assert.Equal("{gateway-eu.bindings.http.url}", env.GetProperty("services__gateway-eu__http__0").GetString());
        Assert.Equal("{gateway-eu.bindings.https.url}", env.GetProperty("services__gateway-eu__https__0").GetString());
        Assert.Equal("{pull-secret.value}", env.GetProperty("PULL_SECRET").GetString());
        Assert.Equal("{edge-eu-1.bindings.http.targetPort}", env.GetProperty("HTTP_PORTS").GetString());
        Assert.Equal(8080, edge.GetProperty("bindings").GetProperty("http").GetProperty("targetPort").GetInt32());
        Assert.Equal("https", edge.GetProperty("bindings").GetProperty("https").GetProperty("scheme").GetString());

        var publish = resources.GetProperty("publish-1").GetProperty("env");
        Assert.Equal("{registry.connectionString}", publish.GetProperty("ConnectionStrings__registry").GetString());

        var registry = resources.GetProperty("registry");
        Assert.Equal("container.v0", registry.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/redis", registry.GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            "{registry.bindings.tcp.host}:{registry.bindings.tcp.port},password={registry-password.value}",
            registry.GetProperty("connectionString").GetString());
        Assert.Equal(6379, registry.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        Assert.Equal("{registry-password.value}", registry.GetProperty("env").GetProperty("REDIS_PASSWORD").GetString());

        var password = resources.GetProperty("registry-password");
        Assert.Equal("parameter.v0", password.GetProperty("type").GetString());
        Assert.Equal("{registry-password.inputs.value}", password.GetProperty("value").GetString());
        var input = password.GetProperty("inputs").GetProperty("value");
        Assert.True(input.GetProperty("secret").GetBoolean());
        Assert.Equal(22, input.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32());
    }

    [Fact]
    public void Output_path_may_name_a_directory()
    {
        var written = ManifestWriter.WriteFile(AppHostModel.Capture().Builder, _directory + Path.DirectorySeparatorChar);
        Assert.Equal(Path.Combine(_directory, "aspire-manifest.json"), written);
        Assert.True(File.Exists(written));
    }

    [Fact]
    public void Publish_mode_starts_nothing()
    {
        var app = AppHostModel.Capture("--publisher", "manifest", "--output-path", Path.Combine(_directory, "m.json"));
        Assert.True(app.Builder.ExecutionContext.IsPublishMode);
        app.Run();
        Assert.Null(app.Runner);
        Assert.Null(app.DashboardUrl);
    }
}
