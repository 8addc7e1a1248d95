using System.CommandLine;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// <c>bench</c>: the load harness. <c>fanout</c>, <c>join</c> and <c>conns</c> speak only the wire protocol, so they
/// measure any node (HlsCdn or the original Go server) on loopback; <c>plot</c> draws latency CDFs from their JSON.
/// </summary>
public static class BenchCommand
{
    /// <summary>Exit code: the run completed and everything was delivered exactly.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the run failed, or found loss, corruption or failed joins.</summary>
    public const int Failure = 1;

    /// <summary>Exit code: invalid arguments.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the command. <paramref name="output"/>/<paramref name="error"/> default to the console.</summary>
    public static Command Build(TextWriter? output = null, TextWriter? error = null)
    {
        var command = new Command("bench", "Loopback load harness speaking only the wire protocol, so it measures any node (HlsCdn or the original Go server). Bounded in time and count; loopback URLs only.");
        command.Subcommands.Add(BuildFanout(output, error));
        command.Subcommands.Add(BuildJoin(output, error));
        command.Subcommands.Add(BuildConns(output, error));
        command.Subcommands.Add(BuildPlot(output, error));
        return command;
    }

    private static Option<string> Url(bool required) => new("--url", "-u") { Description = "Node the publisher pushes to (ws://, loopback only)", Required = required };

    private static Option<string> PullUrl() => new("--pull-url") { Description = "Node the spectators pull from (another node of a relay chain); default --url" };

    private static Option<string> Stream() => new("--stream", "-s") { Description = "Stream id", DefaultValueFactory = _ => "bench/load/0x0-0~0" };

    private static Option<string> PushSecret() => new("--push-secret") { Description = "The node's push secret (signs HS256 PUSH tokens); none: no token" };

    private static Option<string> PullSecret() => new("--pull-secret") { Description = "The node's pull secret (signs HS256 PULL tokens); none: no token" };

    private static Option<int[]> ServerPid() => new("--server-pid")
    {
        Description = "Server process to sample (CPU user/system from /proc/PID/stat, RSS from /proc/PID/status); repeat to sum the nodes of a relay chain",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<bool> Json() => new("--json") { Description = "Print the result as JSON (stdout) instead of the table" };

    private static Option<int> Size(int bytes) => new("--size") { Description = "Fragment size in bytes", DefaultValueFactory = _ => bytes };

    private static Option<double> Interval(double ms) => new("--interval") { Description = "Milliseconds between fragments", DefaultValueFactory = _ => ms };

    private static Command BuildFanout(TextWriter? output, TextWriter? error)
    {
        var url = Url(required: false);
        var pullUrl = PullUrl();
        var stream = Stream();
        var pushSecret = PushSecret();
        var pullSecret = PullSecret();
        var pids = ServerPid();
        var json = Json();
        var spectators = new Option<int>("--spectators", "-k") { Description = "Spectators, all connected (max_initial_fragments=0) before the first fragment", DefaultValueFactory = _ => 50 };
        var size = Size(20_000);
        var interval = Interval(50);
        var duration = new Option<double>("--duration") { Description = "Seconds of publishing", DefaultValueFactory = _ => 5 };
        var stalled = new Option<int>("--stalled") { Description = "Extra spectators that connect and never read", DefaultValueFactory = _ => 0 };
        var settle = new Option<double>("--settle") { Description = "Milliseconds between the last spectator's OK and the first fragment (relays open)", DefaultValueFactory = _ => 500 };
        var drain = new Option<double>("--drain") { Description = "Seconds to wait after CLOSE for every spectator to finish", DefaultValueFactory = _ => 10 };
        var inProcess = new Option<bool>("--in-process") { Description = "Host an HlsCdn publish node in this process instead of --url (quick runs, profiling node and harness together; CPU and RSS are the whole process's)" };
        var command = new Command("fanout", "One publisher, K spectators connected before the first fragment: delivery (loss, order, duplicates, byte-exactness per spectator), latency from the publisher's send start to the whole fragment at the spectator, server CPU and RSS.")
        {
            url, pullUrl, stream, pushSecret, pullSecret, pids, json, spectators, size, interval, duration, stalled, settle, drain, inProcess,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stderr = error ?? Console.Error;
            InProcessNode? node = null;
            try
            {
                var serverPids = parse.GetValue(pids) ?? [];
                Uri target;
                if (parse.GetValue(inProcess))
                {
                    if (parse.GetValue(url) is not null)
                    {
                        return Usage(stderr, "give either --url or --in-process, not both");
                    }

                    node = await InProcessNode.StartAsync(parse.GetValue(pushSecret), parse.GetValue(pullSecret), null, cancellationToken).ConfigureAwait(false);
                    target = node.Url;
                    serverPids = serverPids.Length == 0 ? [Environment.ProcessId] : serverPids;
                }
                else if (ParseUrl(parse.GetValue(url), "--url", stderr, required: true) is { } parsed)
                {
                    target = parsed;
                }
                else
                {
                    return UsageError;
                }

                Uri? pull = null;
                if (parse.GetValue(pullUrl) is { } pullValue && (pull = ParseUrl(pullValue, "--pull-url", stderr, required: true)) is null)
                {
                    return UsageError;
                }

                var settings = new FanoutSettings(
                    new BenchTarget(target, parse.GetValue(pushSecret), parse.GetValue(pullSecret)),
                    pull,
                    parse.GetValue(stream)!,
                    parse.GetValue(spectators),
                    parse.GetValue(stalled),
                    parse.GetValue(size),
                    TimeSpan.FromMilliseconds(parse.GetValue(interval)),
                    TimeSpan.FromSeconds(parse.GetValue(duration)),
                    serverPids,
                    TimeSpan.FromMilliseconds(parse.GetValue(settle)),
                    TimeSpan.FromSeconds(parse.GetValue(drain)));
                if (settings.Validate() is { } invalid)
                {
                    return Usage(stderr, invalid);
                }

                var result = await FanoutRunner.RunAsync(settings, ProgressLine.ForConsole(error), cancellationToken).ConfigureAwait(false);
                Print(result, parse.GetValue(json), output, BenchReport.Write);
                return result.Delivery.IsClean && result.PublisherFailure is null ? Success : Failure;
            }
            catch (BenchException ex)
            {
                stderr.WriteLine("error: " + ex.Message);
                return Failure;
            }
            finally
            {
                if (node is not null)
                {
                    await node.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return command;
    }

    private static Command BuildJoin(TextWriter? output, TextWriter? error)
    {
        var url = Url(required: true);
        var pullUrl = PullUrl();
        var stream = Stream();
        var pushSecret = PushSecret();
        var pullSecret = PullSecret();
        var pids = ServerPid();
        var json = Json();
        var joiners = new Option<int>("--spectators", "-n") { Description = "Spectators joining, one after another", DefaultValueFactory = _ => 50 };
        var size = Size(500_000);
        var interval = Interval(100);
        var spacing = new Option<double>("--spacing") { Description = "Milliseconds between joins (each join is also shifted by a different share of --interval, so a run's joins meet every point of the fragment cycle)", DefaultValueFactory = _ => 100 };
        var warmup = new Option<double>("--warmup") { Description = "Milliseconds of publishing before the first join (fills the node's buffer)", DefaultValueFactory = _ => 1000 };
        var maxInitial = new Option<int?>("--max-initial-fragments") { Description = "Ask for at most this many buffered fragments (default: leave it to the node: all buffered)" };
        var command = new Command("join", "Spectators join a running stream one after another: connect -> OK and connect -> first whole fragment, p50/p99.")
        {
            url, pullUrl, stream, pushSecret, pullSecret, pids, json, joiners, size, interval, spacing, warmup, maxInitial,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stderr = error ?? Console.Error;
            if (ParseUrl(parse.GetValue(url), "--url", stderr, required: true) is not { } target)
            {
                return UsageError;
            }

            Uri? pull = null;
            if (parse.GetValue(pullUrl) is { } pullValue && (pull = ParseUrl(pullValue, "--pull-url", stderr, required: true)) is null)
            {
                return UsageError;
            }

            var settings = new JoinSettings(
                new BenchTarget(target, parse.GetValue(pushSecret), parse.GetValue(pullSecret)),
                pull,
                parse.GetValue(stream)!,
                parse.GetValue(joiners),
                parse.GetValue(size),
                TimeSpan.FromMilliseconds(parse.GetValue(interval)),
                TimeSpan.FromMilliseconds(parse.GetValue(spacing)),
                parse.GetValue(maxInitial),
                parse.GetValue(pids) ?? [],
                TimeSpan.FromMilliseconds(parse.GetValue(warmup)));
            if (settings.Validate() is { } invalid)
            {
                return Usage(stderr, invalid);
            }

            try
            {
                var result = await JoinRunner.RunAsync(settings, ProgressLine.ForConsole(error), cancellationToken).ConfigureAwait(false);
                Print(result, parse.GetValue(json), output, BenchReport.Write);
                return result.IsClean ? Success : Failure;
            }
            catch (BenchException ex)
            {
                stderr.WriteLine("error: " + ex.Message);
                return Failure;
            }
        });
        return command;
    }

    private static Command BuildConns(TextWriter? output, TextWriter? error)
    {
        var url = Url(required: true);
        var pullUrl = PullUrl();
        var stream = Stream();
        var pushSecret = PushSecret();
        var pullSecret = PullSecret();
        var pids = ServerPid();
        var json = Json();
        var connections = new Option<int>("--connections", "-n") { Description = "Idle spectator connections (PULL of a stream without fragments)", DefaultValueFactory = _ => 1000 };
        var hold = new Option<double>("--hold") { Description = "Seconds to hold them open before measuring", DefaultValueFactory = _ => 3 };
        var settle = new Option<double>("--settle") { Description = "Seconds after closing them before measuring again", DefaultValueFactory = _ => 3 };
        var command = new Command("conns", "Idle spectator connections: server RSS per connection, and how much is given back after they close.")
        {
            url, pullUrl, stream, pushSecret, pullSecret, pids, json, connections, hold, settle,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stderr = error ?? Console.Error;
            if (ParseUrl(parse.GetValue(url), "--url", stderr, required: true) is not { } target)
            {
                return UsageError;
            }

            Uri? pull = null;
            if (parse.GetValue(pullUrl) is { } pullValue && (pull = ParseUrl(pullValue, "--pull-url", stderr, required: true)) is null)
            {
                return UsageError;
            }

            var settings = new ConnsSettings(
                new BenchTarget(target, parse.GetValue(pushSecret), parse.GetValue(pullSecret)),
                pull,
                parse.GetValue(stream)!,
                parse.GetValue(connections),
                TimeSpan.FromSeconds(parse.GetValue(hold)),
                TimeSpan.FromSeconds(parse.GetValue(settle)),
                parse.GetValue(pids) ?? []);
            if (settings.Validate() is { } invalid)
            {
                return Usage(stderr, invalid);
            }

            try
            {
                var result = await ConnsRunner.RunAsync(settings, ProgressLine.ForConsole(error), cancellationToken).ConfigureAwait(false);
                Print(result, parse.GetValue(json), output, BenchReport.Write);
                return result.Opened == result.Connections ? Success : Failure;
            }
            catch (BenchException ex)
            {
                stderr.WriteLine("error: " + ex.Message);
                return Failure;
            }
        });
        return command;
    }

    private static Command BuildPlot(TextWriter? output, TextWriter? error)
    {
        var files = new Argument<FileInfo[]>("results") { Description = "JSON results of bench fanout (or join) --json, e.g. ours.json reference.json", Arity = ArgumentArity.OneOrMore };
        var labels = new Option<string[]>("--label") { Description = "Curve label, one per result in order (default: the file names)", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "SVG file to write", Required = true };
        var title = new Option<string>("--title") { Description = "Title above the plot", DefaultValueFactory = _ => "Fragment latency CDF" };
        var command = new Command("plot", "Draw the latency CDFs of bench results as one SVG (log-scale latency), e.g. ours vs the reference server.")
        {
            files, labels, outFile, title,
        };
        command.SetAction(parse =>
        {
            var stderr = error ?? Console.Error;
            var results = parse.GetValue(files) ?? [];
            var names = parse.GetValue(labels) ?? [];
            if (names.Length != 0 && names.Length != results.Length)
            {
                return Usage(stderr, "give one --label per result, or none");
            }

            try
            {
                var series = results.Select((f, i) => LatencyCdfPlot.Read(f.FullName, names.Length == 0 ? Path.GetFileNameWithoutExtension(f.Name) : names[i])).ToList();
                var target = parse.GetValue(outFile)!;
                File.WriteAllText(target.FullName, LatencyCdfPlot.Render(series, parse.GetValue(title)!));
                (output ?? Console.Out).WriteLine($"wrote {target.FullName}");
                return Success;
            }
            catch (Exception ex) when (ex is BenchException or IOException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
            {
                stderr.WriteLine("error: " + ex.Message);
                return Failure;
            }
        });
        return command;
    }

    private static Uri? ParseUrl(string? value, string name, TextWriter error, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                error.WriteLine($"error: {name} is required");
            }

            return null;
        }

        var url = BenchTarget.ParseLoopbackUrl(value, out var problem);
        if (url is null)
        {
            error.WriteLine($"error: {name} {problem}");
        }

        return url;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine("error: " + message);
        return UsageError;
    }

    private static void Print<T>(T result, bool json, TextWriter? output, Action<T, TextWriter> table)
    {
        var writer = output ?? Console.Out;
        if (json)
        {
            BenchReport.WriteJson(result, writer);
        }
        else
        {
            table(result, writer);
        }

        writer.Flush();
    }
}
