using HlsCdn.Hosting;

namespace HlsCdn.AppHost.Tests;

/// <summary>Runs the AppHost's <c>Program</c> to capture the application it declares, without starting it.</summary>
internal static class AppHostModel
{
    public static DistributedApplication Capture(params string[] args) =>
        DistributedApplication.CaptureFromEntryPoint(typeof(Program).Assembly, args);
}
