using System.Net;
using System.Text.Json;
using HlsCdn.Hosting;
using HlsCdn.Hosting.Dashboard;
using HlsCdn.Hosting.Model;
using Microsoft.IdentityModel.Tokens;

namespace HlsCdn.AppHost.Tests;

public sealed class DashboardTests
{
    [Fact]
    public async Task Dashboard_serves_the_page_and_its_api()
    {
        var builder = TestApps.CreateBuilder("--Dashboard:Enabled=true", "--Dashboard:Port=0", "--Parameters:pull-secret=pull-secret-for-tests");
        builder.AddExecutable("talker", "sh", null, "-c", "echo line-one; echo line-two; sleep 300");
        builder.PlayerTokenSecret = builder.AddParameter("pull-secret").Resource;
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.Runner!.WaitForReadyAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = app.DashboardUrl };
        var ct = TestContext.Current.CancellationToken;

        var page = await http.GetStringAsync("/", ct);
        Assert.Contains("<script src=\"/player/hlscdn-player.min.js\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.Contains("HlsCdnPlayer", await http.GetStringAsync("/app.js", ct), StringComparison.Ordinal);

        using var resources = JsonDocument.Parse(await http.GetStringAsync("/api/resources", ct));
        var talker = resources.RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "talker");
        Assert.Equal("Running", talker.GetProperty("state").GetString());
        Assert.True(talker.GetProperty("processId").GetInt32() > 0);

        Assert.True(await TestApps.EventuallyAsync(() => app.Runner.Get("talker")!.Logs.NextSequence >= 2, TimeSpan.FromSeconds(5)));
        using var logs = JsonDocument.Parse(await http.GetStringAsync("/api/logs/talker?after=1", ct));
        Assert.Equal(["line-two"], logs.RootElement.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/logs/nobody", ct)).StatusCode);

        using var streams = JsonDocument.Parse(await http.GetStringAsync("/api/streams", ct));
        Assert.Equal(0, streams.RootElement.GetProperty("streams").GetArrayLength());

        var svg = await http.GetStringAsync("/api/topology.svg", ct);
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("data-name=\"talker\"", svg, StringComparison.Ordinal);

        using var token = JsonDocument.Parse(await http.GetStringAsync("/api/token?streamId=test", ct));
        // Checked here with HMAC itself: HS256 over header.payload with the pull secret, subject PULL:{stream}.
        var parts = token.RootElement.GetProperty("token").GetString()!.Split('.');
        var expected = System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("pull-secret-for-tests"),
            System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(Base64UrlEncoder.Encode(expected), parts[2]);
        Assert.Contains("\"sub\":\"PULL:test\"", Base64UrlEncoder.Decode(parts[1]), StringComparison.Ordinal);

        var player = await http.GetAsync("/player/hlscdn-player.min.js", ct);
        Assert.Equal("text/javascript", player.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void Streams_are_merged_across_nodes()
    {
        var publish = new NodeStream("s1", "publish-1", "publish", null, "local", null, null, 1);
        var gateway = new NodeStream("s1", "gateway-eu", "gateway", "eu", "relay", "ws://127.0.0.1:1/", "publish-1", 2);
        var edge = new NodeStream("s1", "edge-eu-1", "edge", "eu", "relay", "ws://127.0.0.1:2/", "gateway-eu", 5);
        var other = new NodeStream("s2", "publish-2", "publish", null, "local", null, null, 0);
        var merged = StreamAggregator.Merge([edge, publish, other, gateway]);
        Assert.Equal(["s1", "s2"], merged.Select(s => s.StreamId));
        Assert.Equal(["publish-1"], merged[0].PublishedOn);
        Assert.Equal(["edge-eu-1", "gateway-eu"], merged[0].RelayedBy.Order(StringComparer.Ordinal));
        Assert.Equal(8, merged[0].TotalSubscribers);
    }

    [Fact]
    public void Node_stream_lists_are_parsed_leniently()
    {
        var builder = TestApps.CreateBuilder();
        var node = builder.AddProject("edge-eu-1", "HlsCdn.EdgeNode").WithLabel("role", "edge").WithLabel("region", "eu").Resource;
        using var json = JsonDocument.Parse("""[{"streamId":"a","source":"relay","upstream":"ws://x/","subscribers":4,"extra":1},{"nope":1},{"streamId":"b","source":"local","upstream":null}]""");
        var parsed = StreamAggregator.Parse(node, json.RootElement);
        Assert.Equal(2, parsed.Count);
        Assert.Equal(new NodeStream("a", "edge-eu-1", "edge", "eu", "relay", "ws://x/", null, 4), parsed[0]);
        Assert.Equal(0, parsed[1].Subscribers);
    }

    [Fact]
    public void Topology_layers_follow_references()
    {
        var app = AppHostModel.Capture();
        var layers = TopologySvg.Layers(app.Resources.Where(r => r.Kind != ResourceKind.Parameter).ToList());
        int Layer(string name) => layers.Single(l => l.Key.Name == name).Value;
        Assert.Equal(0, Layer("registry"));
        Assert.Equal(1, Layer("publish-1"));
        Assert.Equal(1, Layer("gateway-us"));
        Assert.Equal(2, Layer("edge-us-1"));
        Assert.Equal(2, Layer("tester"));
        var svg = TopologySvg.Render(app.Resources, _ => "Healthy");
        Assert.Equal(10, svg.Split("class=\"node\"").Length - 1);
    }
}
