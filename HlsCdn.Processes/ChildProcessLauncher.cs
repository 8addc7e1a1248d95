using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HlsCdn.Processes;

/// <summary>
/// Starts child processes so that none outlives its parent (the tester starts ffmpeg with it), even when the parent is killed with SIGKILL.
/// On Linux each child is started through util-linux's <c>setpriv --pdeathsig KILL</c>, which sets
/// <c>PR_SET_PDEATHSIG</c> and then execs the real program (same pid, no extra process). The kernel sends that
/// signal when the <em>thread</em> that forked the child ends, so every child is forked from one dedicated thread
/// that lives as long as the parent. Without setpriv (or off Linux) children are started directly and only an
/// orderly stop ends them.
/// </summary>
public sealed class ChildProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Result)> _queue = [];
    private readonly Thread _thread;

    public ChildProcessLauncher(string? setprivPath = null)
    {
        SetprivPath = setprivPath ?? FindSetpriv();
        _thread = new Thread(Loop) { IsBackground = true, Name = "hlscdn-child-launcher" };
        _thread.Start();
    }

    /// <summary>The setpriv used to tie children to the AppHost's life; null when none is available.</summary>
    public string? SetprivPath { get; }

    public bool TiesChildrenToParent => SetprivPath is not null;

    /// <summary>Starts <paramref name="info"/> (output redirection and environment as given) from the launcher thread.</summary>
    public Task<Process> StartAsync(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var result = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((Wrap(info), result));
        return result.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _queue.Dispose();
    }

    private ProcessStartInfo Wrap(ProcessStartInfo info)
    {
        if (SetprivPath is null)
        {
            return info;
        }

        var arguments = info.ArgumentList.ToList();
        info.ArgumentList.Clear();
        info.ArgumentList.Add("--pdeathsig");
        info.ArgumentList.Add("KILL");
        info.ArgumentList.Add("--");
        info.ArgumentList.Add(info.FileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.FileName = SetprivPath;
        return info;
    }

    private void Loop()
    {
        foreach (var (info, result) in _queue.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.Start();
                result.TrySetResult(process);
            }
            catch (Exception ex)
            {
                result.TrySetException(ex);
            }
        }
    }

    private static string? FindSetpriv()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var candidate in new[] { "/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>Sends POSIX signals (for an orderly SIGTERM before a kill).</summary>
public static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static bool Send(int processId, int signal) =>
        !OperatingSystem.IsWindows() && Kill(processId, signal) == 0;

    /// <summary>Whether the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int processId)
    {
        if (OperatingSystem.IsWindows() || Kill(processId, 0) != 0)
        {
            return false;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..] is var rest && !rest.StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
