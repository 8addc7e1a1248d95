using HlsCdn.Hosting;
using HlsCdn.Hosting.Orchestration;
using HlsCdn.Processes;

namespace HlsCdn.AppHost.Tests;

public sealed class ProcessTests
{
    [Fact]
    public async Task A_process_resource_starts_and_stops_leaving_no_process_behind()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("sleeper", "sleep", null, "300");
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.Runner!.WaitForReadyAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var status = app.Runner.Get("sleeper")!.Status;
        Assert.Equal(ResourceState.Running, status.State);
        var pid = status.ProcessId!.Value;
        Assert.True(TestApps.ProcessExists(pid));

        await app.StopAsync();
        Assert.False(TestApps.ProcessExists(pid));
        Assert.Equal(ResourceState.Exited, status.State);
        Assert.Equal("stopped", status.Message);
    }

    [Fact]
    public async Task Stopping_reaches_the_processes_a_resource_started()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("parent", "sh", null, "-c", "sleep 300 & echo $!; wait");
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var runner = app.Runner!.Get("parent")!;
        Assert.True(await TestApps.EventuallyAsync(() => runner.Logs.NextSequence >= 1, TimeSpan.FromSeconds(5)));
        var grandchild = int.Parse(runner.Logs.Snapshot()[0].Text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(TestApps.ProcessExists(grandchild));

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await app.StopAsync();
        Assert.True(await TestApps.EventuallyAsync(() => !TestApps.ProcessExists(grandchild), TimeSpan.FromSeconds(2)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"stop took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_crashed_resource_shows_its_exit_code_and_its_output()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("crasher", "sh", null, "-c", "echo hello; echo oops >&2; exit 3");
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var runner = app.Runner!.Get("crasher")!;
        Assert.True(await TestApps.EventuallyAsync(() => runner.Status.State == ResourceState.Exited, TimeSpan.FromSeconds(10)));
        Assert.Equal(3, runner.Status.ExitCode);
        Assert.Equal("Exited(3)", runner.Status.Snapshot().State);
        Assert.True(await TestApps.EventuallyAsync(() => runner.Logs.Snapshot().Count >= 2, TimeSpan.FromSeconds(5)));
        var lines = runner.Logs.Snapshot();
        Assert.Contains(lines, l => l.Text == "hello" && !l.IsError);
        Assert.Contains(lines, l => l.Text == "oops" && l.IsError);
    }

    [Fact]
    public async Task A_resource_with_restart_on_exit_is_started_again()
    {
        var builder = TestApps.CreateBuilder("--Orchestrator:RestartDelay=00:00:00.100");
        builder.AddExecutable("flaky", "sh", null, "-c", "exit 1").WithRestartOnExit();
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var status = app.Runner!.Get("flaky")!.Status;
        Assert.True(await TestApps.EventuallyAsync(() => status.Restarts >= 2, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Dependents_wait_for_their_references_and_fail_when_one_fails()
    {
        var builder = TestApps.CreateBuilder();
        var missing = builder.AddExecutable("missing", "/nonexistent/program");
        builder.AddExecutable("dependent", "sleep", null, "300").WithReference(missing);
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ResourceState.Failed, app.Runner!.Get("missing")!.Status.State);
        Assert.Contains("not found", app.Runner.Get("missing")!.Status.Message, StringComparison.Ordinal);
        var dependent = app.Runner.Get("dependent")!.Status;
        Assert.True(await TestApps.EventuallyAsync(() => dependent.State == ResourceState.Failed, TimeSpan.FromSeconds(5)));
        Assert.Contains("dependency", dependent.Message, StringComparison.Ordinal);
        Assert.Null(dependent.ProcessId);
    }

    [Fact]
    public async Task A_project_without_build_output_fails_with_a_clear_message()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddProject("ghost", "HlsCdn.Ghost").WithHttpEndpoint().WithHttpHealthCheck();
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var status = app.Runner!.Get("ghost")!.Status;
        Assert.Equal(ResourceState.Failed, status.State);
        Assert.Contains("No build output of HlsCdn.Ghost", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Children_are_started_through_setpriv_so_they_die_with_the_AppHost()
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
