using System.CommandLine;
using HlsCdn.Tester.Publishing;

namespace HlsCdn.Tester.Measuring;

/// <summary>The <c>measure</c> command and its <c>latency</c> subcommand.</summary>
public static class MeasureCommand
{
    /// <summary>Builds <c>measure latency --url … --stream … [--seconds 30]</c>.</summary>
    public static Command Build(TextWriter? output, TextWriter? error)
    {
        var url = new Option<string>("--url", "-u") { Description = "Node to pull from (ws:// or wss://)", Required = true };
        var stream = new Option<string>("--stream", "-s") { Description = "Stream id of a tester test pattern (it carries the picture clock)", Required = true };
        var secret = new Option<string>("--secret") { Description = "The nodes' pull secret: the page signs its own PULL token" };
        var token = new Option<string>("--token") { Description = "A ready-made PULL token (JWT, sub = PULL:{stream})" };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of displayed frames to sample (after 5 s of settling)", DefaultValueFactory = _ => 30 };
        var chromium = new Option<string>("--chromium") { Description = "Chromium executable (never downloaded)", DefaultValueFactory = _ => LatencySettings.DefaultChromiumPath };

        var latency = new Command("latency", "Open the stream in headless Chromium and print the capture-to-display delay percentiles read from the clock burned into the tester's test pattern.")
        {
            url, stream, secret, token, seconds, chromium,
        };
        latency.SetAction(async (parse, cancellationToken) =>
        {
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

            var duration = parse.GetValue(seconds);
            if (!(duration is >= 1 and <= 3600))
            {
                stderr.WriteLine("error: --seconds must be between 1 and 3600");
                return PublishRunner.UsageError;
            }

            var meter = new LatencyMeter(output ?? Console.Out, stderr);
            var settings = new LatencySettings(nodeUrl, parse.GetValue(stream)!, parse.GetValue(secret), parse.GetValue(token), TimeSpan.FromSeconds(duration), parse.GetValue(chromium)!);
            return await meter.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        });

        return new Command("measure", "Measurements against any deployment.") { latency };
    }
}
