using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace HlsCdn.Topology.Tests;

/// <summary>The CDN console over the running topology: its cluster API, and the page in headless Chromium playing from an edge.</summary>
[Collection(LiveTopology.Name)]
public sealed class ConsoleTests(TopologyFixture topology)
{
    public const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task The_console_shows_where_the_stream_is_published_and_which_nodes_relay_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = topology.HttpUrl("console"), Timeout = TimeSpan.FromSeconds(10) };
        await using var spectator = Spectator.Watch(topology, "edge-us-2", Stopwatch.StartNew());
        Assert.True(await spectator.WaitForCountAsync(1, TimeSpan.FromSeconds(30)), spectator.Summary());

        JsonElement stream = default;
        JsonElement nodes = default;
        var found = await NodeFailureTests.EventuallyAsync(async () =>
        {
            using var cluster = JsonDocument.Parse(await http.GetStringAsync("api/cluster", ct));
            nodes = cluster.RootElement.GetProperty("nodes").Clone();
            var match = cluster.RootElement.GetProperty("streams").EnumerateArray()
                .Where(s => s.GetProperty("streamId").GetString() == topology.StreamId).Select(s => s.Clone()).ToList();
            if (match.Count != 1)
            {
                return false;
            }

            stream = match[0];
            var relayedBy = stream.GetProperty("relayedBy").EnumerateArray().Select(e => e.GetString()).ToList();
            // A node that answers late once is reported as not ok for that round: wait for a round where all answered.
            return relayedBy.Contains("edge-us-2") && relayedBy.Contains("gateway-us") && nodes.EnumerateArray().All(n => n.GetProperty("ok").GetBoolean());
        }, TimeSpan.FromSeconds(30));
        Assert.True(found, $"/api/cluster never showed '{topology.StreamId}' relayed by gateway-us and edge-us-2 with every node answering: {stream}\n{nodes}");

        var publishedOn = stream.GetProperty("publishedOn").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Single(publishedOn);
        Assert.StartsWith("publish-", publishedOn[0], StringComparison.Ordinal);
        Assert.True(stream.GetProperty("totalSubscribers").GetInt32() >= 1);

        // Every node answered, with its role, and a WebSocket URL a browser can use.
        var byName = nodes.EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
        Assert.Equal(8, byName.Count);
        Assert.All(byName.Values, n => Assert.True(n.GetProperty("ok").GetBoolean(), n.ToString()));
        Assert.Equal("edge", byName["edge-eu-1"].GetProperty("role").GetString());
        Assert.Equal("publish", byName["publish-2"].GetProperty("role").GetString());
        Assert.Equal(topology.WebSocketUrl("edge-eu-1").ToString(), byName["edge-eu-1"].GetProperty("webSocketUrl").GetString());

        // Tokens only for well-formed stream ids.
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("api/token?streamId=" + Uri.EscapeDataString("a b<"), ct)).StatusCode);
    }

    [Fact]
    public async Task The_console_page_lists_the_stream_and_plays_it_from_an_edge()
    {
        Assert.SkipUnless(File.Exists(ChromiumPath), $"Chromium not found at {ChromiumPath} (Debian package 'chromium').");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var us = Spectator.Watch(topology, "edge-us-1", Stopwatch.StartNew());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 60_000,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
            ],
        });
        var page = await browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            lock (console)
            {
                console.Add($"{message.Type}: {message.Text}");
            }
        };
        await page.GotoAsync(topology.HttpUrl("console").ToString(), new PageGotoOptions { Timeout = 30_000 });

        var streams = string.Empty;
        var listed = await NodeFailureTests.EventuallyAsync(async () =>
        {
            streams = await page.InnerTextAsync("#streams tbody");
            // A node that answers late once is shown as down for that round: wait for a round where all answered.
            return streams.Contains(topology.StreamId, StringComparison.Ordinal) && streams.Contains("edge-us-1", StringComparison.Ordinal)
                && streams.Contains("publish-", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30));
        Assert.True(listed, "streams table: " + streams + "\nnodes table: " + await page.InnerTextAsync("#nodes tbody"));

        // The player: the stream from edge-eu-1, through client-js and Media Source Extensions.
        await page.FillAsync("#player-stream", topology.StreamId);
        await page.SelectOptionAsync("#player-node", "edge-eu-1");
        await page.ClickAsync("#player-form button[type=submit]");
        double played = 0;
        var playing = await NodeFailureTests.EventuallyAsync(async () =>
        {
            played = await page.EvalOnSelectorAsync<double>("#player-video", "v => v.currentTime");
            return played > 1.5;
        }, TimeSpan.FromSeconds(40));

        string log;
        lock (console)
        {
            log = string.Join("\n", console.TakeLast(20));
        }

        Assert.True(playing, $"the console's player did not advance past 1.5 s (currentTime {played:0.00}); status '{await page.InnerTextAsync("#player-status")}'\n{log}");
        TestContext.Current.SendDiagnosticMessage($"console player from edge-eu-1: currentTime {played:0.00} s");
    }
}
