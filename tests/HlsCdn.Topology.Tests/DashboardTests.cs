using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace HlsCdn.Topology.Tests;

/// <summary>The AppHost's dashboard over the running topology: its JSON API and the page in headless Chromium.</summary>
[Collection(LiveTopology.Name)]
public sealed class DashboardTests(TopologyFixture topology)
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Set to 1 to write the screenshot to the repository's <c>docs/dashboard.png</c> (the README shows it).</summary>
    public const string UpdateScreenshotVariable = "HLSCDN_UPDATE_SCREENSHOT";

    [Fact]
    public async Task The_dashboard_api_lists_every_resource_healthy_and_the_live_stream()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = topology.DashboardUrl, Timeout = TimeSpan.FromSeconds(10) };
        await using var spectator = Spectator.Watch(topology, "edge-us-2", Stopwatch.StartNew());
        Assert.True(await spectator.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), spectator.Summary());

        using var resources = JsonDocument.Parse(await http.GetStringAsync("api/resources", ct));
        var byName = resources.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(TopologyFixture.ResourceNames.Order(StringComparer.Ordinal), byName.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, resource) in byName)
        {
            // The tester has no health check: running is its ready state.
            Assert.Equal(name == "tester" ? "Running" : "Healthy", resource.GetProperty("state").GetString());
        }

        Assert.Equal("edge", byName["edge-us-2"].GetProperty("labels").GetProperty("role").GetString());
        Assert.Contains(topology.HttpUrl("edge-us-2").Authority, byName["edge-us-2"].GetProperty("endpoints")[0].GetString(), StringComparison.Ordinal);

        // The stream: published on one publish node, relayed by the us gateway and the watched edge (the dashboard
        // polls each node, so retry until the spectator's relay shows everywhere).
        JsonElement stream = default;
        var found = await EventuallyAsync(async () =>
        {
            using var streams = JsonDocument.Parse(await http.GetStringAsync("api/streams", ct));
            var match = streams.RootElement.GetProperty("streams").EnumerateArray()
                .Where(s => s.GetProperty("streamId").GetString() == topology.StreamId)
                .Select(s => s.Clone())
                .ToList();
            if (match.Count != 1)
            {
                return false;
            }

            stream = match[0];
            var relayedBy = stream.GetProperty("relayedBy").EnumerateArray().Select(e => e.GetString()).ToList();
            return relayedBy.Contains("edge-us-2") && relayedBy.Contains("gateway-us");
        }, TimeSpan.FromSeconds(15));
        Assert.True(found, $"/api/streams never showed '{topology.StreamId}' relayed by gateway-us and edge-us-2: {stream}");

        var publishedOn = stream.GetProperty("publishedOn").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Single(publishedOn);
        Assert.StartsWith("publish-", publishedOn[0], StringComparison.Ordinal);
        Assert.True(stream.GetProperty("totalSubscribers").GetInt32() >= 1);
    }

    [Fact]
    public async Task The_dashboard_page_shows_every_resource_and_the_stream_and_plays_it_from_an_edge()
    {
        Assert.SkipUnless(File.Exists(ChromiumPath), $"Chromium not found at {ChromiumPath} (Debian package 'chromium').");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        // Spectators on an edge per region, so the page shows the stream relayed through both regions.
        var clock = Stopwatch.StartNew();
        await using var eu = Spectator.Watch(topology, "edge-eu-2", clock);
        await using var us = Spectator.Watch(topology, "edge-us-1", clock);

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
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            lock (console)
            {
                console.Add($"{message.Type}: {message.Text}");
            }
        };
        await page.GotoAsync(topology.DashboardUrl.ToString(), new PageGotoOptions { Timeout = 30_000 });

        var resources = await WaitForTextAsync(page, "#resources tbody", TopologyFixture.ResourceNames, TimeSpan.FromSeconds(15));
        Assert.All(TopologyFixture.ResourceNames, name => Assert.Contains(name, resources, StringComparison.Ordinal));
        Assert.Contains("Healthy", resources, StringComparison.Ordinal);
        var streams = await WaitForTextAsync(page, "#streams tbody", [topology.StreamId, "edge-eu-2", "edge-us-1"], TimeSpan.FromSeconds(20));
        Assert.Contains(topology.StreamId, streams, StringComparison.Ordinal);
        Assert.Contains("publish-", streams, StringComparison.Ordinal);

        // The embedded player: the stream from edge-eu-1, through client-js and Media Source Extensions.
        await page.FillAsync("#player-stream", topology.StreamId);
        await page.SelectOptionAsync("#player-node", "edge-eu-1");
        await page.ClickAsync("#player-form button[type=submit]");
        double played = 0;
        var playing = await EventuallyAsync(async () =>
        {
            played = await page.EvalOnSelectorAsync<double>("#player-video", "v => v.currentTime");
            return played > 1.5;
        }, TimeSpan.FromSeconds(40));
        await page.SelectOptionAsync("#logs-resource", "tester");
        await page.WaitForTimeoutAsync(1500);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        if (Environment.GetEnvironmentVariable(UpdateScreenshotVariable) == "1")
        {
            var docs = Path.Combine(topology.App.Builder.SolutionDirectory, "docs", "dashboard.png");
            File.Copy(screenshot, docs, overwrite: true);
            TestContext.Current.SendDiagnosticMessage("screenshot written to " + docs);
        }

        string log;
        lock (console)
        {
            log = string.Join("\n", console.TakeLast(20));
        }

        Assert.True(playing, $"the dashboard's player did not advance past 1.5 s (currentTime {played:0.00}); status '{await page.InnerTextAsync("#player-status")}'\n{log}");
        TestContext.Current.SendDiagnosticMessage($"dashboard player: currentTime {played:0.00} s; screenshot {screenshot}");
    }

    private static async Task<string> WaitForTextAsync(IPage page, string selector, IEnumerable<string> expected, TimeSpan timeout)
    {
        var text = string.Empty;
        await EventuallyAsync(async () =>
        {
            text = await page.InnerTextAsync(selector);
            return expected.All(e => text.Contains(e, StringComparison.Ordinal));
        }, timeout);
        return text;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return await condition();
    }
}
