using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HlsCdn.Cdn.Tests;

/// <summary>
/// A publish node as its own process (the PublishNode build output), so a test can kill it as a crash does:
/// SIGKILL, no handler runs, no CLOSE is sent, nothing is cleaned up.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri WebSocketUrl => new($"ws://127.0.0.1:{Port}/");

    public Uri HttpUrl => new($"http://127.0.0.1:{Port}/");

    public static async Task<NodeProcess> StartAsync(IDictionary<string, string?> settings, int port = 0)
    {
        port = port == 0 ? FreePort() : port;
        var info = new ProcessStartInfo("dotnet", [Path.Combine(BuildOutput("HlsCdn.PublishNode"), "HlsCdn.PublishNode.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = BuildOutput("HlsCdn.PublishNode"),
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, port);
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"the publish node exited with code {(process.HasExited ? process.ExitCode : 0)} at start");
            try
            {
                if ((await http.GetAsync(new Uri(node.HttpUrl, "health"))).IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process ends at once.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>The build output folder of a project of this repository, in this test run's configuration.</summary>
    private static string BuildOutput(string project)
    {
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar); // tests/HlsCdn.Cdn.Tests/bin/{Configuration}/net10.0
        var configuration = new DirectoryInfo(here).Parent!.Name;
        var root = new DirectoryInfo(here);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "HlsCdn.Aspire.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var output = Path.Combine(root.FullName, project, "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(output, project + ".dll")), $"{project} is not built at {output}");
        return output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
