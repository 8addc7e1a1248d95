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

    // Samples every presented frame: capture time read from the picture vs the page clock at the frame's display time.
    private const string StartSampling = """
        () => {
          const v = document.getElementById('video');
          window.hlscdnFrameDelays = []; window.hlscdnWaiting = 0; window.hlscdnSampling = true;
          v.addEventListener('waiting', () => { if (window.hlscdnSampling) window.hlscdnWaiting++; });
          const onFrame = (_, meta) => {
            if (!window.hlscdnSampling) return;
            const clock = window.hlscdnReadClock();
            if (clock.valid) {
              const shownMs = performance.timeOrigin + (meta && meta.expectedDisplayTime ? meta.expectedDisplayTime : performance.now());
              window.hlscdnFrameDelays.push(clock.delayMs + (shownMs - clock.nowMs));
            }
            v.requestVideoFrameCallback(onFrame);
          };
          v.requestVideoFrameCallback(onFrame);
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
        await tab.EvaluateAsync(StartSampling).ConfigureAwait(false);
        await Task.Delay(settings.Duration, cancellationToken).ConfigureAwait(false);
        await tab.EvaluateAsync("() => { window.hlscdnSampling = false; }").ConfigureAwait(false);

        var delays = await tab.EvaluateAsync<double[]>("() => window.hlscdnFrameDelays").ConfigureAwait(false);
        var waiting = await tab.EvaluateAsync<int>("() => window.hlscdnWaiting").ConfigureAwait(false);
        var stats = await tab.EvaluateAsync<JsonElement?>("() => window.hlscdnStats").ConfigureAwait(false);
        Result = DelaySummary.Of(delays);
        if (Result is null)
        {
            return Fail(1, "no frame carried a readable picture clock: is this the tester's test pattern (publish without --video)?");
        }

        _out.WriteLine($"capture-to-display: {Result}");
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
