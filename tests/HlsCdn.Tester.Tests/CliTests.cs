using HlsCdn.Node.Configuration;
using HlsCdn.Node.Hosting;
using HlsCdn.Tester.Cli;
using HlsCdn.Tester.Publishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Tester.Tests;

public sealed class CliTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("publish --help")]
    [InlineData("spectate --help")]
    [InlineData("measure latency --help")]
    public async Task Every_command_has_help(string args)
    {
        var (code, output, _) = await RunAsync(args.Split(' '));
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("publish --url http://x/ --stream s", "is not a ws:// or wss:// URL")]
    [InlineData("publish --url ws://127.0.0.1:1/ --stream s --video /no/such/file.mp4", "video file '/no/such/file.mp4' not found")]
    [InlineData("publish --url ws://127.0.0.1:1/ --stream s --secret a --token b", "either --secret or --token")]
    [InlineData("spectate --url nonsense --stream s", "is not a ws:// or wss:// URL")]
    [InlineData("publish --url ws://127.0.0.1:1/ --stream s --renditions 640x360@800k,426x240", "--renditions item '426x240' is not WIDTHxHEIGHT@BITRATE")]
    [InlineData("publish --url ws://127.0.0.1:1/ --stream s --renditions 641x360@800k", "--renditions item '641x360@800k': width and height must be even")]
    [InlineData("publish --url ws://127.0.0.1:1/ --stream s --renditions 640x360@5k", "--renditions item '640x360@5k': the bit rate")]
    [InlineData("publish --url ws://127.0.0.1:1/ --stream s --renditions 640x360@800k,640x360@800k", "--renditions item '640x360@800k' is listed twice")]
    [InlineData("publish --url ws://127.0.0.1:1/ --stream s --renditions 640x360@800k --clip", "--renditions needs ffmpeg")]
    [InlineData("spectate --url ws://127.0.0.1:1/ --stream s --renditions 640x360", "--renditions item '640x360' is not")]
    [InlineData("measure latency --url http://x/ --stream s", "is not a ws:// or wss:// URL")]
    [InlineData("measure latency --url ws://127.0.0.1:1/ --stream s --seconds 0", "--seconds must be between 1 and 3600")]
    [InlineData("measure latency --url ws://127.0.0.1:1/ --stream s --secret a --token b", "either --secret or --token")]
    public async Task Bad_settings_fail_with_one_line(string args, string message)
    {
        var (code, _, error) = await RunAsync(args.Split(' '));
        Assert.Equal(PublishRunner.UsageError, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unreachable_node_fails_with_one_line()
    {
        var (code, _, error) = await RunAsync(["publish", "--url", "ws://127.0.0.1:1/", "--stream", "s", "--clip"]);
        Assert.Equal(PublishRunner.Failure, code);
        Assert.StartsWith("error: cannot publish to ws://127.0.0.1:1/", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_token_fails_with_auth_error()
    {
        await using var app = await StartNodeAsync();
        var url = app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal) + "/";
        var (code, _, error) = await RunAsync(["publish", "--url", url, "--stream", "s", "--secret", "wrong", "--clip"]);
        Assert.Equal(PublishRunner.Failure, code);
        Assert.StartsWith("error: the node rejected the token (AUTH_ERROR", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_with_the_clip_pushes_segments_and_closes_after_the_duration()
    {
        await using var app = await StartNodeAsync();
        var url = app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal) + "/";
        var (code, output, error) = await RunAsync(["publish", "--url", url, "--stream", "s", "--secret", "push", "--clip", "--duration", "2.5"]);
        Assert.True(code == 0, error);
        Assert.Contains("segment 1:", output, StringComparison.Ordinal);
        Assert.Contains("CLOSE sent", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TesterCli.Build(output, error).Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<WebApplication> StartNodeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Node:PushSecret"] = "push", ["Node:PullSecret"] = "pull" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddHlsCdnNode(NodeRole.Publish, defaultPort: 0);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapHlsCdnNode();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }
}
