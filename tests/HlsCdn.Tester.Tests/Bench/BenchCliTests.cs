using System.Text.Json;
using HlsCdn.Tester.Bench;
using HlsCdn.Tester.Cli;

namespace HlsCdn.Tester.Tests.Bench;

public sealed class BenchCliTests
{
    [Theory]
    [InlineData("bench --help")]
    [InlineData("bench fanout --help")]
    [InlineData("bench join --help")]
    [InlineData("bench conns --help")]
    [InlineData("bench plot --help")]
    public async Task Every_bench_command_has_help(string args)
    {
        var (code, output, _) = await RunAsync(args.Split(' '));
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bench fanout --url ws://192.0.2.1:8080/", "not a loopback address")]
    [InlineData("bench fanout --url ws://example.com/", "not a loopback address")]
    [InlineData("bench fanout --url ws://127.0.0.1:1/ --pull-url ws://10.0.0.1/", "--pull-url 'ws://10.0.0.1/' is not a loopback address")]
    [InlineData("bench join --url http://127.0.0.1:1/", "is not a ws:// or wss:// URL")]
    [InlineData("bench conns --url ws://[2001:db8::1]:80/", "not a loopback address")]
    [InlineData("bench fanout --url ws://127.0.0.1:1/ --spectators 0", "--spectators must be")]
    [InlineData("bench fanout --url ws://127.0.0.1:1/ --spectators 20001", "--spectators must be")]
    [InlineData("bench fanout --url ws://127.0.0.1:1/ --duration 601", "--duration must be")]
    [InlineData("bench fanout --url ws://127.0.0.1:1/ --size 10", "--size must be")]
    [InlineData("bench conns --url ws://127.0.0.1:1/ --connections 20001", "--connections must be")]
    [InlineData("bench fanout", "--url is required")]
    public async Task Non_loopback_urls_and_unbounded_runs_are_refused(string args, string message)
    {
        var (code, _, error) = await RunAsync(args.Split(' '));
        Assert.Equal(BenchCommand.UsageError, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fanout_in_process_with_secrets_prints_json_with_every_fragment_delivered()
    {
        var (code, output, error) = await RunAsync(["bench", "fanout", "--in-process", "--push-secret", "p", "--pull-secret", "q", "-k", "3", "--size", "1000", "--interval", "20", "--duration", "0.1", "--settle", "50", "--json"]);

        Assert.True(code == BenchCommand.Success, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("fanout", root.GetProperty("command").GetString());
        Assert.Equal(15, root.GetProperty("delivery").GetProperty("delivered").GetInt64());
        Assert.Equal(0, root.GetProperty("delivery").GetProperty("lost").GetInt64());
        Assert.Equal(15, root.GetProperty("latency").GetProperty("count").GetInt64());
        Assert.Equal(Environment.ProcessId, root.GetProperty("servers")[0].GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Fanout_prints_a_table()
    {
        var (code, output, error) = await RunAsync(["bench", "fanout", "--in-process", "-k", "2", "--size", "500", "--interval", "20", "--duration", "0.06", "--settle", "50"]);

        Assert.True(code == BenchCommand.Success, error);
        Assert.Contains("delivered                                        6 of 6  (all exact, in order, CLOSE seen)", output, StringComparison.Ordinal);
        Assert.Contains("latency ms p50 / p90 / p99", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_push_secret_fails_with_the_nodes_auth_error()
    {
        await using var node = await InProcessNode.StartAsync("right", "right", null, TestContext.Current.CancellationToken);
        var (code, _, error) = await RunAsync(["bench", "fanout", "--url", node.Url.ToString(), "--push-secret", "wrong", "-k", "1", "--duration", "0.1"]);

        Assert.Equal(BenchCommand.Failure, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("AUTH_ERROR", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_server_pid_is_an_error()
    {
        await using var node = await InProcessNode.StartAsync(null, null, null, TestContext.Current.CancellationToken);
        var (code, _, error) = await RunAsync(["bench", "conns", "--url", node.Url.ToString(), "--server-pid", "999999999", "-n", "1"]);

        Assert.Equal(BenchCommand.Failure, code);
        Assert.Contains("--server-pid 999999999", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_draws_one_cdf_per_result()
    {
        var directory = Directory.CreateTempSubdirectory("bench-plot-");
        try
        {
            var ours = Path.Combine(directory.FullName, "ours.json");
            var reference = Path.Combine(directory.FullName, "reference.json");
            await File.WriteAllTextAsync(ours, Json(LatencySummary.From([1, 2, 3, 4, 100])), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(reference, Json(LatencySummary.From([2, 3, 5, 8, 13])), TestContext.Current.CancellationToken);
            var svg = Path.Combine(directory.FullName, "cdf.svg");

            var (code, output, error) = await RunAsync(["bench", "plot", ours, reference, "--label", "HlsCdn", "--label", "Go", "--out", svg]);

            Assert.True(code == BenchCommand.Success, error);
            Assert.Contains("cdf.svg", output, StringComparison.Ordinal);
            var text = await File.ReadAllTextAsync(svg, TestContext.Current.CancellationToken);
            Assert.StartsWith("<svg", text, StringComparison.Ordinal);
            Assert.Equal(2, text.Split("class=\"cdf\"").Length - 1);
            Assert.Contains("HlsCdn: p50 3.0 ms, p99 100.0 ms", text, StringComparison.Ordinal);
            Assert.Contains("Go: p50 5.0 ms, p99 13.0 ms", text, StringComparison.Ordinal);
            System.Xml.Linq.XDocument.Parse(text);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Plot_refuses_a_file_without_latencies()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "{\"command\":\"conns\"}", TestContext.Current.CancellationToken);
            var (code, _, error) = await RunAsync(["bench", "plot", file, "--out", file + ".svg"]);
            Assert.Equal(BenchCommand.Failure, code);
            Assert.Contains("no latency quantiles", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Json(LatencySummary latency)
    {
        using var writer = new StringWriter();
        BenchReport.WriteJson(new { Command = "fanout", Latency = latency }, writer);
        return writer.ToString();
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TesterCli.Build(output, error).Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
