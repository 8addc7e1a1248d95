using HlsCdn.Hosting;

namespace HlsCdn.AppHost.Tests;

/// <summary>Builders for small applications declared by the tests themselves (no node projects needed).</summary>
internal static class TestApps
{
    public static DistributedApplicationBuilder CreateBuilder(params string[] args)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hlscdn-apphost-tests");
        Directory.CreateDirectory(directory);
        return DistributedApplication.CreateBuilder(
            ["--Dashboard:Enabled=false", "--Orchestrator:StopTimeout=00:00:03", .. args],
            new DistributedApplicationOptions { AppHostDirectory = directory, SolutionDirectory = directory });
    }

    public static bool ProcessExists(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }
}
