using HlsCdn.Node.Configuration;
using HlsCdn.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Browser.Tests;

/// <summary>A real publish node in-process on 127.0.0.1 (a given port, or a free one), with push and pull secrets.</summary>
public sealed class BrowserNode : IAsyncDisposable
{
    public const string PushSecret = "browser-tests-push-secret";
    public const string PullSecret = "browser-tests-pull-secret";

    private readonly WebApplication _app;

    private BrowserNode(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        WebSocketUrl = new Uri($"ws://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public Uri WebSocketUrl { get; }

    public static async Task<BrowserNode> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Node:PushSecret"] = PushSecret,
            ["Node:PullSecret"] = PullSecret,
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddHlsCdnNode(NodeRole.Publish, defaultPort: 0);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapHlsCdnNode();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new BrowserNode(app, address.Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
