using HlsCdn.Node.Configuration;
using HlsCdn.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// A publish node (the HlsCdn.Node library, configured like HlsCdn.PublishNode) inside the bench's own process, on a
/// free loopback port: <c>bench fanout --in-process</c> for a quick run or a profile of node and harness together.
/// </summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessNode(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The node's ws:// URL.</summary>
    public Uri Url { get; }

    /// <summary>Starts a node with the given secrets (none: authentication off) and extra configuration.</summary>
    public static async Task<InProcessNode> StartAsync(string? pushSecret, string? pullSecret, IDictionary<string, string?>? settings, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        var configuration = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Node:PushSecret"] = pushSecret ?? string.Empty,
            ["Node:PullSecret"] = pullSecret ?? string.Empty,
        };
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddHlsCdnNode(NodeRole.Publish, defaultPort: 0);
        var app = builder.Build();
        app.MapHlsCdnNode();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessNode(app, new UriBuilder(address) { Scheme = "ws", Path = "/" }.Uri);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
