using System.CommandLine;
using HlsCdn.Tester.Bench;
using HlsCdn.Tester.Measuring;
using HlsCdn.Tester.Publishing;
using HlsCdn.Tester.Spectating;

namespace HlsCdn.Tester.Cli;

/// <summary>The command line: <c>publish</c>, <c>spectate</c>, <c>bench</c> and <c>measure</c>.</summary>
public static class TesterCli
{
    /// <summary>Builds the root command. <paramref name="output"/>/<paramref name="error"/> default to the console.</summary>
    public static RootCommand Build(TextWriter? output = null, TextWriter? error = null)
    {
        var root = new RootCommand("HlsCdn tester: publish a live test pattern (or a video file) to HlsCdn nodes, and watch a stream in the browser.");
        root.Subcommands.Add(BuildPublish(output, error));
        root.Subcommands.Add(BuildSpectate(output, error));
        root.Subcommands.Add(BenchCommand.Build(output, error));
        root.Subcommands.Add(MeasureCommand.Build(output, error));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; Ctrl+C cancels the running command, which then cleans up.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) }, cancellationToken);

    private static Option<string[]> UrlOption(string description) => new("--url", "-u")
    {
        Description = description,
        Required = true,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<string> StreamOption() => new("--stream", "-s")
    {
        Description = "Stream id, e.g. room1/cam1/640x360-25~1000",
        Required = true,
    };

    private static Option<string> RenditionsOption(string description) => new("--renditions")
    {
        Description = $"{description}; WIDTHxHEIGHT@KBPSk, comma-separated, e.g. {Rendition.DefaultList}",
    };

    private static bool TryRenditions(string? value, TextWriter? error, out IReadOnlyList<Rendition>? renditions)
    {
        renditions = null;
        if (value is null)
        {
            return true;
        }

        renditions = Rendition.ParseList(value, out var problem);
        if (renditions is null)
        {
            (error ?? Console.Error).WriteLine("error: " + problem);
            return false;
        }

        return true;
    }

    private static Command BuildPublish(TextWriter? output, TextWriter? error)
    {
        var url = UrlOption("Node to push to (ws:// or wss://); repeat for failover nodes, tried in order");
        var stream = StreamOption();
        var secret = new Option<string>("--secret") { Description = "The nodes' push secret: the tester signs its own PUSH tokens" };
        var token = new Option<string>("--token") { Description = "A ready-made PUSH token (JWT, sub = PUSH:{stream})" };
        var video = new Option<FileInfo>("--video") { Description = "Video file to encode in a loop (default: a generated test pattern with the wall clock burned in)" };
        var segment = new Option<double>("--segment-seconds") { Description = "Segment duration in seconds", DefaultValueFactory = _ => 1.0 };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (sends CLOSE); default: until Ctrl+C" };
        var clip = new Option<bool>("--clip") { Description = "Loop the built-in pre-encoded clip even when ffmpeg is installed" };
        var renditions = RenditionsOption("Encode these renditions at once (aligned segments) and push each to {stream}/{W}x{H}-25~{KBPS}");

        var command = new Command("publish", "Encode a test pattern (or --video FILE) live with ffmpeg into MPEG-TS segments and push each one as soon as it is complete. Without ffmpeg, loops a built-in pre-encoded clip.")
        {
            url, stream, secret, token, video, segment, duration, clip, renditions,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var runner = new PublishRunner(output ?? Console.Out, error ?? Console.Error);
            var urls = new List<Uri>();
            foreach (var value in parse.GetValue(url) ?? [])
            {
                if (PublishRunner.ParseNodeUrl(value) is not { } parsed)
                {
                    (error ?? Console.Error).WriteLine($"error: --url '{value}' is not a ws:// or wss:// URL");
                    return PublishRunner.UsageError;
                }

                urls.Add(parsed);
            }

            if (!TryRenditions(parse.GetValue(renditions), error, out var list))
            {
                return PublishRunner.UsageError;
            }

            var settings = new PublishSettings(
                urls,
                parse.GetValue(stream)!,
                parse.GetValue(secret),
                parse.GetValue(token),
                parse.GetValue(video)?.FullName,
                parse.GetValue(segment),
                parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                parse.GetValue(clip),
                list);
            return await runner.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildSpectate(TextWriter? output, TextWriter? error)
    {
        var url = new Option<string>("--url", "-u") { Description = "Node to pull from (ws:// or wss://)", Required = true };
        var stream = StreamOption();
        var secret = new Option<string>("--secret") { Description = "The nodes' pull secret: the page gets a fresh PULL token on every load" };
        var token = new Option<string>("--token") { Description = "A ready-made PULL token (JWT, sub = PULL:{stream})" };
        var port = new Option<int>("--port") { Description = "HTTP port of the page (0: a free port)", DefaultValueFactory = _ => 0 };
        var renditions = RenditionsOption("Play the channel of these renditions (as published with publish --renditions) with a quality menu");
        var bind = new Option<string>("--bind") { Description = "Address the page is served on (loopback by default; 0.0.0.0 exposes it)", DefaultValueFactory = _ => "127.0.0.1" };
        var shapeLink = new Option<bool>("--shape-link") { Description = "Pull through a relay on loopback whose bandwidth the page's Link menu limits (watch adaptive bitrate switch)" };

        var command = new Command("spectate", "Serve a web page that plays a stream with the browser player (live stats, capture-to-display delay of the test pattern's clock) and print its address.")
        {
            url, stream, secret, token, port, bind, renditions, shapeLink,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = output ?? Console.Out;
            var stderr = error ?? Console.Error;
            var value = parse.GetValue(url)!;
            if (PublishRunner.ParseNodeUrl(value) is not { } nodeUrl)
            {
                stderr.WriteLine($"error: --url '{value}' is not a ws:// or wss:// URL");
                return PublishRunner.UsageError;
            }

            if (!string.IsNullOrEmpty(parse.GetValue(secret)) && !string.IsNullOrEmpty(parse.GetValue(token)))
            {
                stderr.WriteLine("error: give either --secret or --token, not both");
                return PublishRunner.UsageError;
            }

            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                stderr.WriteLine("error: --port must be between 0 and 65535");
                return PublishRunner.UsageError;
            }

            if (!TryRenditions(parse.GetValue(renditions), stderr, out var list))
            {
                return PublishRunner.UsageError;
            }

            SpectateServer server;
            try
            {
                server = await SpectateServer.StartAsync(
                    new SpectateSettings(nodeUrl, parse.GetValue(stream)!, parse.GetValue(secret), parse.GetValue(token), portValue, parse.GetValue(bind)!)
                    {
                        StreamIds = list?.Select(r => r.StreamId(parse.GetValue(stream)!, PublishSettings.FrameRate)).ToList(),
                        ShapeLink = parse.GetValue(shapeLink),
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or InvalidOperationException)
            {
                stderr.WriteLine($"error: cannot serve the page: {ex.Message}");
                return PublishRunner.Failure;
            }

            await using (server.ConfigureAwait(false))
            {
                stdout.WriteLine($"spectate page: {server.PageUrl}");
                stdout.WriteLine("open it in a browser; Ctrl+C stops the server");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return PublishRunner.Success;
        });
        return command;
    }
}
