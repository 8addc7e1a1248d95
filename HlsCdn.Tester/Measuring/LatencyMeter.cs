using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HlsCdn.Tester.Spectating;
using Microsoft.Playwright;

namespace HlsCdn.Tester.Measuring;

/// <summary>
/// The <c>measure latency</c> command: serves the spectate page for the stream, opens it in headless Chromium (Debian's,
/// driven by Playwright; no browser is downloaded), lets playback settle, then reads the clock the tester burns into
/// the test pattern from every displayed frame (<c>requestVideoFrameCallback</c>, at the frame's expected display time)
/// and prints the capture-to-display percentiles.
/// </summary>
public sealed class LatencyMeter
{
    /// <summary>Playback time before sampling starts: the player's start-up catch-up is not the steady state.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Script for the spectate page that starts sampling: every presented frame's capture-to-display delay (the picture
    /// clock vs the page clock at the frame's expected display time) into <c>window.hlscdnFrameDelays</c>, the
    /// <c>waiting</c> events into <c>window.hlscdnWaiting</c>, and when each fragment became playable. Stopped by
    /// setting <c>window.hlscdnSampling = false</c>.
    /// </summary>
    public const string SamplingScript = """
        () => {
          const v = document.getElementById('video');
          const day = 86400000;
          window.hlscdnFrameDelays = []; window.hlscdnPlayable = []; window.hlscdnReceiveToPlayable = [];
          window.hlscdnWaiting = 0; window.hlscdnSampling = true;
          let received = null, lastEnd = null, captureOffset = null;
          v.addEventListener('waiting', () => { if (window.hlscdnSampling) window.hlscdnWaiting++; });
          if (window.hlscdnPlayer) window.hlscdnPlayer.on('fragment', () => { received = Date.now(); });
          const bufferedEnd = () => v.buffered.length ? v.buffered.end(v.buffered.length - 1) : null;
          const onFrame = (_, meta) => {
            if (!window.hlscdnSampling) return;
            const clock = window.hlscdnReadClock();
            if (clock.valid) {
              const shownMs = performance.timeOrigin + (meta && meta.expectedDisplayTime ? meta.expectedDisplayTime : performance.now());
              window.hlscdnFrameDelays.push(clock.delayMs + (shownMs - clock.nowMs));
              // Capture time (ms of the day) of media time 0, from the frame on screen.
              captureOffset = clock.burnedMs - (meta && meta.mediaTime !== undefined ? meta.mediaTime : v.currentTime) * 1000;
            }
            v.requestVideoFrameCallback(onFrame);
          };
          v.requestVideoFrameCallback(onFrame);
          // When the buffered end moves on, a fragment became playable: how long after its last frame's capture.
          const poll = setInterval(() => {
            if (!window.hlscdnSampling) { clearInterval(poll); return; }
            const end = bufferedEnd();
            if (end !== null && lastEnd !== null && end > lastEnd + 0.1 && captureOffset !== null) {
              const now = Date.now();
              window.hlscdnPlayable.push(((now % day) - (captureOffset + end * 1000) + day) % day);
              if (received !== null) window.hlscdnReceiveToPlayable.push(now - received);
            }
            if (end !== null) lastEnd = end;
          }, 5);
        }
        """;

    private readonly TextWriter _out;
    private readonly TextWriter _error;

    /// <summary>Creates a meter writing results to <paramref name="output"/> and errors to <paramref name="error"/>.</summary>
    public LatencyMeter(TextWriter output, TextWriter error)
    {
        _out = output;
        _error = error;
    }

    /// <summary>The last measurement (null before one completed).</summary>
    public DelaySummary? Result { get; private set; }

    /// <summary>Runs the measurement; returns the exit code (0, 1 for a failure, 2 for bad settings).</summary>
    public async Task<int> RunAsync(LatencySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Duration <= TimeSpan.Zero || settings.Duration > TimeSpan.FromHours(1))
        {
            return Fail(2, "--seconds must be between 1 and 3600");
        }

        if (!File.Exists(settings.ChromiumPath))
        {
            return Fail(1, $"Chromium not found at {settings.ChromiumPath} (install Debian's 'chromium' package or give --chromium PATH)");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var page = await SpectateServer.StartAsync(new SpectateSettings(settings.NodeUrl, settings.StreamId, settings.PullSecret, settings.Token), cancellationToken).ConfigureAwait(false);
        using var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = settings.ChromiumPath,
            Headless = true,
            Timeout = 60_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        }).ConfigureAwait(false);
        var tab = await browser.NewPageAsync().ConfigureAwait(false);
        _out.WriteLine($"measuring {settings.StreamId} from {settings.NodeUrl.GetLeftPart(UriPartial.Path)} in headless Chromium ({page.PageUrl})");

        var opened = Stopwatch.StartNew();
        await tab.GotoAsync(page.PageUrl.ToString()).ConfigureAwait(false);
        try
        {
            await tab.WaitForFunctionAsync(
                "() => document.getElementById('video').currentTime > 0",
                null,
                new PageWaitForFunctionOptions { Timeout = (float)(settings.StartTimeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds, PollingInterval = 100 }).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var state = await tab.EvaluateAsync<string>("() => JSON.stringify({ stats: window.hlscdnStats, events: window.hlscdnEvents })").ConfigureAwait(false);
            return Fail(1, $"the stream did not start playing within {(settings.StartTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s; page state {state}");
        }

        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first picture after {opened.Elapsed.TotalSeconds:0.00} s; {WarmUp.TotalSeconds:0} s to settle, then {settings.Duration.TotalSeconds:0} s of frames"));
        await Task.Delay(WarmUp, cancellationToken).ConfigureAwait(false);
        await tab.EvaluateAsync(SamplingScript).ConfigureAwait(false);
        await Task.Delay(settings.Duration, cancellationToken).ConfigureAwait(false);
        await tab.EvaluateAsync("() => { window.hlscdnSampling = false; }").ConfigureAwait(false);

        var delays = await tab.EvaluateAsync<double[]>("() => window.hlscdnFrameDelays").ConfigureAwait(false);
        var waiting = await tab.EvaluateAsync<int>("() => window.hlscdnWaiting").ConfigureAwait(false);
        var playable = DelaySummary.Of(await tab.EvaluateAsync<double[]>("() => window.hlscdnPlayable").ConfigureAwait(false));
        var receiveToPlayable = DelaySummary.Of(await tab.EvaluateAsync<double[]>("() => window.hlscdnReceiveToPlayable").ConfigureAwait(false));
        var stats = await tab.EvaluateAsync<JsonElement?>("() => window.hlscdnStats").ConfigureAwait(false);
        Result = DelaySummary.Of(delays);
        if (Result is null)
        {
            return Fail(1, "no frame carried a readable picture clock: is this the tester's test pattern (publish without --video)?");
        }

        _out.WriteLine($"capture-to-display: {Result}");
        if (playable is not null)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fragment's last frame captured -> fragment playable in the browser: p50 {playable.P50:0} ms, p90 {playable.P90:0} ms ({playable.Count} fragments)"));
        }

        if (receiveToPlayable is not null)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fragment received on the WebSocket -> playable (hls.js load, transmux, append): p50 {receiveToPlayable.P50:0} ms, p90 {receiveToPlayable.P90:0} ms"));
        }

        _out.WriteLine($"stalls ('waiting' events) while sampling: {waiting}");
        if (stats is { } s)
        {
            _out.WriteLine($"player stats: {s.GetRawText()}");
        }

        return 0;
    }

    private int Fail(int code, string message)
    {
        _error.WriteLine("error: " + message);
        return code;
    }
}
