using Microsoft.Playwright;

namespace HlsCdn.Browser.Tests;

/// <summary>
/// One headless Chromium for the browser tests: the system's <c>/usr/bin/chromium</c> driven by Playwright (whose
/// node driver ships in the NuGet package; no browser is ever downloaded). When Chromium is missing the tests skip
/// with <see cref="UnavailableReason"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (!File.Exists(ChromiumPath))
        {
            UnavailableReason = $"Chromium not found at {ChromiumPath}: install the Debian package 'chromium' (.ci/run does) to run the browser tests.";
            return;
        }

        try
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Timeout = 60_000,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
            });
        }
        catch (PlaywrightException ex)
        {
            UnavailableReason = $"Chromium at {ChromiumPath} could not be started by Playwright: {ex.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
