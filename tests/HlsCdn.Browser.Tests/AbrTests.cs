using System.Globalization;
using System.Text.Json;
using HlsCdn.Tester.Publishing;
using Microsoft.Playwright;

namespace HlsCdn.Browser.Tests;

/// <summary>
/// Adaptive bitrate, for real: the tester publishes three aligned renditions (640x360 800k, 426x240 400k, 256x144 150k)
/// to a node; headless Chromium plays the channel on the spectate page, whose Link menu (<c>spectate --shape-link</c>)
/// limits the bandwidth of the link to the browser (one token bucket for all the page's pulls), as README shows. Each phase asserts the decoded picture size;
/// switching down also asserts its time (loosely) and that no stall lasts longer than one segment. The measured times and stalls are reported
/// (measurements.txt) and the player's debug log is written to browser-artifacts/abr-*.log.
/// </summary>
public sealed class AbrTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private const string RecordStalls = """
        () => {
          const v = document.getElementById('video');
          window.abrStalls = []; let since = null;
          v.addEventListener('waiting', () => { if (since === null) since = performance.now(); });
          v.addEventListener('playing', () => { if (since !== null) { window.abrStalls.push(performance.now() - since); since = null; } });
          window.abrStallNow = () => since === null ? 0 : performance.now() - since;
        }
        """;

    private static readonly IReadOnlyList<Rendition> Renditions = Rendition.ParseList(Rendition.DefaultList, out _)!;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _playerLog = new();
    private string? _playerLogName;

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        // The player's own log (debug=1), one file per test: what hls.js asked for, which pulls opened and closed, stalls.
        if (_playerLogName is not null)
        {
            var directory = Path.Combine(AppContext.BaseDirectory, "browser-artifacts");
            Directory.CreateDirectory(directory);
            await File.WriteAllLinesAsync(Path.Combine(directory, $"abr-{_playerLogName}.log"), _playerLog);
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task Settles_on_the_top_rendition_switches_down_when_the_link_is_limited_and_climbs_back_when_it_is_lifted()
    {
        var page = await OpenBrowserAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var channel = await AbrChannel.StartAsync("browser/abr/auto", Renditions, ct);
        await page.GotoAsync(DebugUrl(channel));
        await page.EvaluateAsync(RecordStalls);

        // (a) Unconstrained: hls.js starts at the lowest level and settles on the top one.
        await WaitSizeAsync(page, "w === 640 && h === 360", TimeSpan.FromSeconds(40), "the top rendition on an unconstrained link");
        // Settled: the top rendition stays on screen (sampled every 0.5 s for 6 s; a loaded CI machine may stall once and
        // make hls.js step down for a moment, which is reported).
        var onTop = 0;
        for (var i = 0; i < 12; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            onTop += await SizeAsync(page) == (640, 360) ? 1 : 0;
        }

        Report($"unconstrained: the top rendition was on screen in {onTop} of 12 samples over 6 s");
        Assert.True(onTop >= 9, $"the top rendition was on screen in only {onTop} of 12 samples over 6 s");
        var stats = await page.EvaluateAsync<JsonElement>("() => window.hlscdnStats");
        var delays = await page.EvaluateAsync<double[]>("() => window.hlscdnClockDelays.slice(-5)");
        Report(string.Create(CultureInfo.InvariantCulture,
            $"unconstrained: top rendition on screen; capture-to-display (last 5 s) {string.Join(", ", delays.Select(d => d.ToString("0", CultureInfo.InvariantCulture)))} ms; latency {stats.GetProperty("latency")} s; bandwidth estimate {stats.GetProperty("bandwidthEstimate")} bit/s"));

        // (b) Limited below the top rendition's bit rate (~0.9 Mbit/s with audio and TS): it switches down.
        await page.EvaluateAsync("() => { window.abrStalls = []; }");
        var droppedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await SetLinkAsync(page, "450", "limited to 450 kbit/s");
        // Within a few segments (measured: 1.9-2.0 s with 1 s segments; it took 29 s before the player switched down on
        // its own while a fragment was still in transfer).
        await WaitSizeAsync(page, "w < 640", TimeSpan.FromSeconds(8), "a lower rendition with the link limited to 450 kbit/s");
        var downAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var switchedAt = await page.EvaluateAsync<double?>($"() => {{ const s = window.hlscdnLevelSwitches.find(x => x.at >= {droppedAt} && x.width < 640); return s ? s.at : null; }}");
        await Task.Delay(TimeSpan.FromSeconds(8), ct);
        var (limitedW, limitedH) = await SizeAsync(page);
        Assert.True(limitedW < 640 && limitedH < 360, $"back at {limitedW}x{limitedH} while limited");
        var stalls = await page.EvaluateAsync<double[]>("() => window.abrStalls.concat([window.abrStallNow()]).filter(x => x > 0)");
        var longest = stalls.Length == 0 ? 0 : stalls.Max();
        Report(string.Create(CultureInfo.InvariantCulture,
            $"limited to 450 kbit/s: switched down after {(switchedAt ?? downAt) - droppedAt:0} ms (picture size changed after {downAt - droppedAt} ms, polled); stalls {stalls.Length}, longest {longest:0} ms, total {stalls.Sum():0} ms; now {limitedW}x{limitedH}"));
        // One stall while the switch happens: the buffer when a fragment starts is the jitter margin (~0.2 s, ~1 s behind
        // live), so the top level's fragment, 4x slower over the limited link, is late at once. The player switches to
        // the lowest level when the media element runs dry with the fragment still in transfer, and the new pull asks for
        // the live edge only: the stall lasts the lower level's fragment's transfer (measured: 0.68-0.73 s). The
        // issue's bar: no stall longer than one segment, and playback goes on at the lower level.
        var segmentMs = channel.SegmentSeconds * 1000;
        Assert.True(longest <= segmentMs, $"a stall of {longest:0} ms while switching down, longer than one segment ({segmentMs:0} ms); stalls: {string.Join(", ", stalls)}");
        var before = await page.EvaluateAsync<double>("() => document.getElementById('video').currentTime");
        await Task.Delay(TimeSpan.FromSeconds(4), ct);
        var after = await page.EvaluateAsync<double>("() => document.getElementById('video').currentTime");
        Assert.True(after - before > 2, $"playback does not go on at the lower rendition: {after - before:0.00} s of media in 4 s; stalls: {string.Join(", ", stalls)}");

        // (c) Lifted: it climbs back to the top.
        var liftedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await SetLinkAsync(page, "off", "unlimited");
        await WaitSizeAsync(page, "w === 640 && h === 360", TimeSpan.FromSeconds(30), "the top rendition again after the limit was lifted");
        Report(string.Create(CultureInfo.InvariantCulture, $"limit lifted: top rendition on screen again after {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - liftedAt} ms (polled)"));

        // How far behind live a channel plays once settled again (the picture clock is read from the top rendition).
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        var settled = await page.EvaluateAsync<double[]>("() => window.hlscdnClockDelays.slice(-8)");
        stats = await page.EvaluateAsync<JsonElement>("() => window.hlscdnStats");
        var sorted = settled.Order().ToArray();
        Report(string.Create(CultureInfo.InvariantCulture,
            $"after the limit was lifted: capture-to-display median {(sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2]):0} ms over the last {settled.Length} s (in order: {string.Join(", ", settled.Select(d => d.ToString("0", CultureInfo.InvariantCulture)))}); latency {stats.GetProperty("latency")} s, margin {stats.GetProperty("margin")} s, stalls {stats.GetProperty("stalls")}"));
        var events = await page.EvaluateAsync<string>("() => JSON.stringify(window.hlscdnEvents)");
        Assert.DoesNotContain("error", events, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_manual_choice_from_the_quality_menu_sticks()
    {
        var page = await OpenBrowserAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var channel = await AbrChannel.StartAsync("browser/abr/manual", Renditions, ct);
        await page.GotoAsync(DebugUrl(channel));
        var options = await page.EvalOnSelectorAllAsync<string[]>("#quality option", "os => os.map(o => o.textContent)");
        Assert.Equal(4, options.Length);
        Assert.Equal("Auto", options[0]);
        Assert.StartsWith("144p (256x144", options[1], StringComparison.Ordinal);
        // Past the start-up burst (the node's buffered fragments are played through within the first seconds).
        await WaitSizeAsync(page, "w === 640 && v.currentTime > 6", TimeSpan.FromSeconds(40), "the top rendition before the manual choice");

        await page.SelectOptionAsync("#quality", "0");
        await WaitSizeAsync(page, "w === 256 && h === 144", TimeSpan.FromSeconds(15), "the 256x144 rendition chosen in the menu");
        // An unconstrained link would make ABR climb within seconds: the choice must hold.
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        Assert.Equal((256, 144), await SizeAsync(page));
        var stats = await page.EvaluateAsync<JsonElement>("() => window.hlscdnStats");
        Assert.False(stats.GetProperty("autoLevel").GetBoolean());
        Assert.Equal(0, stats.GetProperty("level").GetInt32());
        Assert.EndsWith("/256x144-25~150", stats.GetProperty("rendition").GetString(), StringComparison.Ordinal);

        // Back to Auto: it climbs again.
        await page.SelectOptionAsync("#quality", "auto");
        await WaitSizeAsync(page, "w === 640", TimeSpan.FromSeconds(40), "the top rendition after going back to Auto");
    }

    private async Task<IPage> OpenBrowserAsync([System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var page = await BrowserPages.OpenAsync(browser, _contexts, "publish --renditions needs it");
        _playerLogName = test.Length > 40 ? test[..40] : test;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        page.Console += (_, message) => _playerLog.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,8:0.000} {message.Type} {message.Text}"));
        return page;
    }

    /// <summary>The channel's spectate page with the player's and hls.js's debug logs on.</summary>
    private static string DebugUrl(AbrChannel channel) =>
        channel.PageUrl + (string.IsNullOrEmpty(channel.PageUrl.Query) ? "?" : "&") + "debug=1&hlsDebug=1";

    /// <summary>Chooses <paramref name="value"/> in the page's Link menu and waits for the tester to confirm it.</summary>
    private static async Task SetLinkAsync(IPage page, string value, string confirmation)
    {
        await page.SelectOptionAsync("#link", value);
        await page.WaitForFunctionAsync("c => document.getElementById('link-state').textContent === c", confirmation, new PageWaitForFunctionOptions { Timeout = 5_000 });
    }

    private static async Task<(int Width, int Height)> SizeAsync(IPage page)
    {
        var size = await page.EvaluateAsync<int[]>("() => { const v = document.getElementById('video'); return [v.videoWidth, v.videoHeight]; }");
        return (size[0], size[1]);
    }

    private static async Task WaitSizeAsync(IPage page, string condition, TimeSpan timeout, string what)
    {
        try
        {
            await page.WaitForFunctionAsync(
                $"() => {{ const v = document.getElementById('video'); const w = v.videoWidth, h = v.videoHeight; return v.currentTime > 0 && ({condition}); }}",
                null,
                new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            var state = await page.EvaluateAsync<string>("() => { const v = document.getElementById('video'); return JSON.stringify({ size: [v.videoWidth, v.videoHeight], time: v.currentTime, stats: window.hlscdnStats, switches: window.hlscdnLevelSwitches, events: window.hlscdnEvents }); }");
            Assert.Fail($"no {what} within {timeout.TotalSeconds} s; page state {state}");
        }
    }

    private static void Report(string line) => BrowserPages.Report(line);
}
