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

namespace HlsCdn.Node.Tests;

/// <summary>A real node (Kestrel, real sockets) on a free loopback port, configured like the PublishNode host.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestNode(WebApplication app, Uri httpUrl)
    {
        _app = app;
        HttpUrl = httpUrl;
        WebSocketUrl = new UriBuilder(httpUrl) { Scheme = "ws" }.Uri;
    }

    public Uri HttpUrl { get; }

    public Uri WebSocketUrl { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestNode> StartAsync(IDictionary<string, string?>? settings = null, NodeRole role = NodeRole.Publish, Action<WebApplicationBuilder>? configure = null, int port = 0)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddHlsCdnNode(role, defaultPort: 0);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapHlsCdnNode();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestNode(app, new Uri(address + "/"));
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Stops the node abruptly, as a crash would: open connections are cut, nothing is cleaned up.</summary>
    public async Task KillAsync()
    {
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        try
        {
            await _app.StopAsync(expired.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
