using System.Net;
using System.Reflection;
using HlsCdn.Hosting.Orchestration;
using HlsCdn.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting.Dashboard;

/// <summary>
/// The AppHost's dashboard (Aspire's port 18888 unless busy): a self-contained page over a JSON API —
/// <c>/api/resources</c>, <c>/api/logs/{name}</c>, <c>/api/streams</c>, <c>/api/topology.svg</c>, <c>/api/token</c> —
/// and the client-js player bundle from the repository at <c>/player/hlscdn-player.min.js</c>.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    public const string PlayerBundlePath = "client-js/dist/hlscdn-player.min.js";
    private static readonly Assembly Assets = typeof(DashboardServer).Assembly;
    private readonly DistributedApplication _application;
    private readonly ApplicationRunner _runner;
    private readonly StreamAggregator _streams;
    private readonly WebApplication _web;

    public DashboardServer(DistributedApplication application, ApplicationRunner runner, HttpClient http, int port, ILoggerFactory loggers)
    {
        _application = application;
        _runner = runner;
        _streams = new StreamAggregator(http, loggers.CreateLogger("HlsCdn.AppHost.Dashboard"));
        Url = new Uri($"http://localhost:{port}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.WriteIndented = false);
        _web = builder.Build();
        Map(_web);
    }

    public Uri Url { get; }

    public Task StartAsync(CancellationToken cancellationToken) => _web.StartAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }

    private void Map(WebApplication web)
    {
        web.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        web.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        web.MapGet("/app.css", () => Asset("app.css", "text/css; charset=utf-8"));
        web.MapGet("/api/resources", () => Results.Json(_runner.Runners.Select(r => r.Status.Snapshot())));
        web.MapGet("/api/logs/{name}", (string name, long? after) => _runner.Get(name) is { } runner
            ? Results.Json(new { name, next = runner.Logs.NextSequence, lines = runner.Logs.Snapshot(after ?? 0) })
            : Results.NotFound());
        web.MapGet("/api/streams", async (CancellationToken ct) => Results.Json(await _streams.CollectAsync(_runner.Runners, ct)));
        web.MapGet("/api/topology.svg", () => Results.Text(
            TopologySvg.Render(_application.Resources, r => _runner.Get(r.Name)?.Status.Snapshot().State),
            "image/svg+xml; charset=utf-8"));
        web.MapGet("/api/token", (string streamId) =>
        {
            if (string.IsNullOrEmpty(streamId))
            {
                return Results.BadRequest();
            }

            var secret = _application.Builder.PlayerTokenSecret?.Value;
            var token = string.IsNullOrEmpty(secret) ? null : StreamTokenIssuer.Issue(secret, StreamAccess.Pull, streamId, TimeSpan.FromHours(12));
            return Results.Json(new { streamId, token });
        });
        web.MapGet("/player/hlscdn-player.min.js", () =>
        {
            var path = Path.Combine(_application.Builder.SolutionDirectory, PlayerBundlePath);
            return File.Exists(path)
                ? Results.File(path, "text/javascript; charset=utf-8")
                : Results.Text("/* client-js bundle not built: " + PlayerBundlePath + " */", "text/javascript; charset=utf-8", statusCode: 404);
        });
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = Assets.GetManifestResourceStream("dashboard/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
