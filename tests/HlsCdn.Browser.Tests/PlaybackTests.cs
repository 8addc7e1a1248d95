using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HlsCdn.Tester.Publishing;
using HlsCdn.Tester.Spectating;
using Microsoft.Playwright;

namespace HlsCdn.Browser.Tests;

/// <summary>
/// End to end through a real browser: an in-process node, the tester's publish logic (ffmpeg test pattern or the
/// looped clip), the tester's spectate page with the client-js bundle, headless Chromium. Asserts that the video
/// really plays (time advances, the encoded size, pixels that are not black), that the page reports the end of the
/// stream, and that playback resumes after the node restarts on the same port. Every wait is bounded.
/// </summary>
public sealed class PlaybackTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private const string VideoTime = "() => document.getElementById('video').currentTime";

    // Draws the current frame scaled down to 64x36 and reports how much of it is not black.
    private const string PixelProbe = """
        () => {
          const v = document.getElementById('video');
          const c = document.createElement('canvas'); c.width = 64; c.height = 36;
          const g = c.getContext('2d'); g.drawImage(v, 0, 0, 64, 36);
          const d = g.getImageData(0, 0, 64, 30).data; // above the clock strip
          let bright = 0, sum = 0, n = d.length / 4;
          for (let i = 0; i < d.length; i += 4) {
            const y = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
            sum += y; if (y > 40) bright++;
          }
          return { mean: sum / n, nonBlackFraction: bright / n };
        }
        """;

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    private readonly List<IBrowserContext> _contexts = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task TestPattern_plays_in_the_browser_then_ends_when_the_publisher_closes()
    {
        var page = await OpenBrowserAsync(requireFfmpeg: true);
        var ct = TestContext.Current.CancellationToken;
        await using var node = await BrowserNode.StartAsync();
        var streamId = "browser/pattern/640x360-25~1000";
        using var output = new TestLogWriter("publish");
        var runner = new PublishRunner(output, output);
        using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var publishing = runner.RunAsync(new PublishSettings([node.WebSocketUrl], streamId, BrowserNode.PushSecret, null), stopPublishing.Token);
        await using var spectate = await SpectateServer.StartAsync(new SpectateSettings(node.WebSocketUrl, streamId, BrowserNode.PullSecret, null), ct);

        var opened = Stopwatch.StartNew();
        await page.GotoAsync(spectate.PageUrl.ToString());
        await WaitAsync(page, "() => document.getElementById('video').currentTime > 0", "the video to start playing");
        Report($"first picture {opened.ElapsedMilliseconds} ms after the page was opened");

        // Time advances by several seconds at about real-time pace.
        var start = await page.EvaluateAsync<double>(VideoTime);
        var watch = Stopwatch.StartNew();
        await WaitAsync(page, $"() => document.getElementById('video').currentTime >= {Js(start + 4)}", "currentTime to advance 4 s");
        Report($"currentTime advanced 4 s in {watch.Elapsed.TotalSeconds:0.00} s of wall time");
        Assert.InRange(watch.Elapsed.TotalSeconds, 2.5, 12);

        var size = await page.EvaluateAsync<JsonElement>("() => { const v = document.getElementById('video'); return [v.videoWidth, v.videoHeight]; }");
        Assert.Equal(640, size[0].GetInt32());
        Assert.Equal(360, size[1].GetInt32());

        var pixels = await page.EvaluateAsync<JsonElement>(PixelProbe);
        Report($"pixels: mean luma {pixels.GetProperty("mean").GetDouble():0.0}, {pixels.GetProperty("nonBlackFraction").GetDouble():P0} not black");
        Assert.True(pixels.GetProperty("nonBlackFraction").GetDouble() > 0.5, "the picture is mostly black: " + pixels);

        // Latency behind live reported by the player, and the clock burned into the picture vs the page's clock.
        await WaitAsync(page, "() => window.hlscdnStats && window.hlscdnStats.latency !== null && window.hlscdnClockDelays.length >= 4", "the latency stats and 4 clock readings");
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var latency = await page.EvaluateAsync<double>("() => window.hlscdnStats.latency");
        var delays = (await page.EvaluateAsync<double[]>("() => window.hlscdnClockDelays")).Order().ToArray();
        var stats = await page.EvaluateAsync<string>("() => JSON.stringify(window.hlscdnStats)");
        Report($"player latency behind live (window.hlscdnStats.latency): {latency:0.00} s; stats {stats}");
        Report(string.Create(CultureInfo.InvariantCulture,
            $"picture clock to display delay over {delays.Length} frames: min {delays[0] / 1000:0.00} s, median {delays[delays.Length / 2] / 1000:0.00} s, max {delays[^1] / 1000:0.00} s"));
        Report($"segments were pushed at least {runner.SmallestPushLag?.TotalMilliseconds:0} ms after the burned-in time of their end (encoder + segmenter + push)");
        Assert.InRange(latency, 0, 10);
        Assert.InRange(delays[delays.Length / 2], 0, 15_000);

        var screenshot = ArtifactPath("spectate-playing.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Report("screenshot: " + screenshot);

        // The publisher closes: CLOSE reaches the page as 'ended'.
        await stopPublishing.CancelAsync();
        Assert.Equal(PublishRunner.Success, await publishing.WaitAsync(Step, ct));
        await WaitAsync(page, "() => window.hlscdnEvents.includes('ended')", "the 'ended' event after the publisher closed");
        var errors = await page.EvaluateAsync<string>("() => JSON.stringify(window.hlscdnErrors)");
        Assert.Equal("[]", errors);
    }

    [Fact(Timeout = 120_000)]
    public async Task Looped_clip_plays_across_the_loop_and_resumes_after_the_node_restarts_on_the_same_port()
    {
        var page = await OpenBrowserAsync(requireFfmpeg: false);
        var ct = TestContext.Current.CancellationToken;
        var node = await BrowserNode.StartAsync();
        var port = node.HttpUrl.Port;
        var streamId = "browser/clip/640x360-25~400";
        using var output = new TestLogWriter("publish");
        var runner = new PublishRunner(output, output);
        using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var publishing = runner.RunAsync(new PublishSettings([node.WebSocketUrl], streamId, BrowserNode.PushSecret, null, UseClip: true), stopPublishing.Token);
        await using var spectate = await SpectateServer.StartAsync(new SpectateSettings(node.WebSocketUrl, streamId, BrowserNode.PullSecret, null), ct);
        try
        {
            await page.GotoAsync(spectate.PageUrl.ToString());
            await WaitAsync(page, "() => document.getElementById('video').currentTime > 0", "the video to start playing");

            // The clip is 4 s long: 6 s of playback crosses at least one loop (timestamps shifted by the tester).
            var start = await page.EvaluateAsync<double>(VideoTime);
            await WaitAsync(page, $"() => document.getElementById('video').currentTime >= {Js(start + 6)}", "currentTime to advance 6 s across the clip's loop");
            var size = await page.EvaluateAsync<JsonElement>("() => { const v = document.getElementById('video'); return [v.videoWidth, v.videoHeight]; }");
            Assert.Equal(640, size[0].GetInt32());
            Assert.Equal(360, size[1].GetInt32());

            // Restart the node on the same port: the publisher and the page both reconnect.
            await node.DisposeAsync();
            Report($"node on port {port} stopped");
            var beforeRestart = await page.EvaluateAsync<double>(VideoTime);
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            node = await BrowserNode.StartAsync(port);
            var restarted = Stopwatch.StartNew();
            Report($"node restarted on port {node.HttpUrl.Port}");
            Assert.Equal(port, node.HttpUrl.Port);

            await WaitAsync(page, $"() => document.getElementById('video').currentTime >= {Js(beforeRestart + 4)}", "playback to resume after the node restart (currentTime +4 s)");
            var stats = await page.EvaluateAsync<string>("() => JSON.stringify(window.hlscdnStats)");
            Report($"playback resumed and advanced 4 s within {restarted.Elapsed.TotalSeconds:0.0} s of the restart; stats {stats}");
            var latency = await page.EvaluateAsync<double?>("() => window.hlscdnStats && window.hlscdnStats.latency");
            Report($"player latency behind live after the restart: {latency:0.00} s");
        }
        finally
        {
            await stopPublishing.CancelAsync();
            await publishing.WaitAsync(Step, CancellationToken.None);
            await node.DisposeAsync();
        }
    }

    private Task<IPage> OpenBrowserAsync(bool requireFfmpeg) =>
        BrowserPages.OpenAsync(browser, _contexts, requireFfmpeg ? "the test-pattern browser test needs it" : null);

    private static async Task WaitAsync(IPage page, string predicate, string what)
    {
        try
        {
            await page.WaitForFunctionAsync(predicate, null, new PageWaitForFunctionOptions { Timeout = (float)Step.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            var state = await page.EvaluateAsync<string>(
                "() => JSON.stringify({ time: document.getElementById('video').currentTime, stats: window.hlscdnStats, events: window.hlscdnEvents, errors: window.hlscdnErrors })");
            Assert.Fail($"Timed out after {Step.TotalSeconds} s waiting for {what}; page state: {state}");
        }
    }

    private static string Js(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string ArtifactPath(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "browser-artifacts");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private static void Report(string line) => BrowserPages.Report(line);
}

/// <summary>A TextWriter into the test's output, for the tester's progress lines.</summary>
internal sealed class TestLogWriter(string prefix) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"[{prefix}] {_line}");
            _line.Clear();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }
}
