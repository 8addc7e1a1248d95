using System.Diagnostics;
using HlsCdn.Processes;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting.Orchestration;

/// <summary>What to start for a process-backed resource; null <see cref="FileName"/> with an error when it cannot be.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyList<KeyValuePair<string, string>> Environment);

/// <summary>
/// Runs a resource as a child process: output captured line by line into its <see cref="LogRing"/>, exit recorded with
/// its code, restarted on exit when the resource asks for it, stopped with SIGTERM then killed (with its process tree).
/// </summary>
public sealed class ProcessResourceRunner : IResourceRunner
{
    private readonly Func<ProcessSpec> _spec;
    private readonly ChildProcessLauncher _launcher;
    private readonly OrchestratorOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Process? _process;
    private Task _monitor = Task.CompletedTask;

    public ProcessResourceRunner(
        ResourceStatus status,
        Func<ProcessSpec> spec,
        ChildProcessLauncher launcher,
        OrchestratorOptions options,
        ILogger logger,
        IHealthProbe? healthProbe)
    {
        Status = status;
        _spec = spec;
        _launcher = launcher;
        _options = options;
        _logger = logger;
        HealthProbe = healthProbe;
        Logs = new LogRing(options.LogLines);
    }

    public ResourceStatus Status { get; }

    public LogRing Logs { get; }

    public IHealthProbe? HealthProbe { get; }

    /// <summary>The running process's id, if any.</summary>
    public int? ProcessId => _process is { } p && !HasExited(p) ? p.Id : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ProcessSpec spec;
        try
        {
            spec = _spec();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException)
        {
            Fail(ex.Message);
            return;
        }

        if (CommandPath.Resolve(spec.FileName) is null)
        {
            Fail($"{spec.FileName}: command not found");
            return;
        }

        Status.Set(ResourceState.Starting);
        var info = new ProcessStartInfo(spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        Log.Starting(_logger, Status.Resource.Name, spec.FileName + " " + string.Join(' ', spec.Arguments));
        Process process;
        var launch = _launcher.StartAsync(info);
        try
        {
            process = await launch.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Fail($"{spec.FileName}: {ex.Message}");
            return;
        }
        catch (OperationCanceledException)
        {
            // Stopping while the launch was under way: a process it still starts must not outlive the AppHost.
            _ = launch.ContinueWith(KillLaunched, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Logs.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Logs.Add(e.Data, isError: true);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Status.Started(process.Id);
        Log.Started(_logger, Status.Resource.Name, process.Id);
        _monitor = MonitorAsync(process);
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_process is { } process && !HasExited(process))
        {
            Status.Set(ResourceState.Stopping);

            // The whole tree, taken before anything exits (an orphaned grandchild is no longer findable).
            var tree = new List<int> { process.Id };
            tree.AddRange(ProcessTree.Descendants(process.Id));
            foreach (var pid in tree)
            {
                PosixSignals.Send(pid, PosixSignals.SigTerm);
            }

            using var grace = new CancellationTokenSource(_options.StopTimeout);
            while (!grace.IsCancellationRequested && tree.Any(PosixSignals.IsAlive))
            {
                try
                {
                    await Task.Delay(50, grace.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            foreach (var pid in tree.Where(PosixSignals.IsAlive))
            {
                PosixSignals.Send(pid, PosixSignals.SigKill);
            }

            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited meanwhile.
            }
        }

        try
        {
            await _monitor.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Output still held open by a grandchild; the process itself is gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _stopping.Dispose();
    }

    private async Task MonitorAsync(Process process)
    {
        await process.WaitForExitAsync(CancellationToken.None);
        var code = process.ExitCode;
        var expected = _stopping.IsCancellationRequested;
        Status.Exited(code, expected);
        if (expected)
        {
            return;
        }

        Log.ExitedUnexpectedly(_logger, Status.Resource.Name, code);
        Logs.Add($"[apphost] process exited with code {code}", isError: true);
        if (!Status.Resource.RestartOnExit)
        {
            return;
        }

        try
        {
            await Task.Delay(_options.RestartDelay, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Status.Restarting();
        Log.Restarting(_logger, Status.Resource.Name, Status.Restarts);
        process.Dispose();
        try
        {
            await StartAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped while restarting: nothing more to do.
        }
    }

    private static void KillLaunched(Task<Process> launch)
    {
        using var process = launch.Result;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private void Fail(string reason)
    {
        Logs.Add("[apphost] " + reason, isError: true);
        Log.StartFailed(_logger, Status.Resource.Name, reason);
        Status.Set(ResourceState.Failed, reason);
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
