using HlsCdn.Processes;

namespace HlsCdn.AppHost.Tests;

/// <summary>The launcher the tester starts ffmpeg with: children die with their parent.</summary>
public sealed class ChildProcessLauncherTests
{
    [Fact]
    public async Task Children_are_started_through_setpriv_so_they_die_with_their_parent()
    {
        using var launcher = new ChildProcessLauncher();
        Assert.SkipUnless(launcher.TiesChildrenToParent, "setpriv is not installed");
        var info = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec grep -E '^PPid' /proc/self/status");
        using var process = await launcher.StartAsync(info);
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        // setpriv execs the program: the child is the program itself, a direct child of this process.
        Assert.Contains($"PPid:\t{Environment.ProcessId}", output, StringComparison.Ordinal);
    }
}
