using HlsCdn.Tester.Publishing;
using Microsoft.Playwright;

namespace HlsCdn.Browser.Tests;

/// <summary>What the playback tests share: a page in a fresh browser context (or a skip naming what is missing), and the report.</summary>
internal static class BrowserPages
{
    /// <summary>
    /// Opens a page in a new context of the fixture's browser (added to <paramref name="contexts"/> for disposal), after
    /// skipping with a clear reason when Chromium (or, with <paramref name="ffmpegNeededFor"/>, ffmpeg) is missing.
    /// </summary>
    public static async Task<IPage> OpenAsync(BrowserFixture browser, List<IBrowserContext> contexts, string? ffmpegNeededFor)
    {
        if (browser.UnavailableReason is { } reason)
        {
            Assert.Skip(reason);
        }

        if (ffmpegNeededFor is not null && FfmpegCommand.Locate() is null)
        {
            Assert.Skip($"ffmpeg not found on the PATH: install the Debian package 'ffmpeg' (.ci/run does); {ffmpegNeededFor}.");
        }

        var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"[page {message.Type}] {message.Text}");
            }
        };
        contexts.Add(context);
        return page;
    }

    /// <summary>Writes a measurement to the test output and to <c>browser-artifacts/measurements.txt</c>.</summary>
    public static void Report(string line)
    {
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var directory = Path.Combine(AppContext.BaseDirectory, "browser-artifacts");
        Directory.CreateDirectory(directory);
        File.AppendAllText(Path.Combine(directory, "measurements.txt"), $"{DateTime.UtcNow:O} {TestContext.Current.Test?.TestDisplayName}: {line}\n");
    }
}
