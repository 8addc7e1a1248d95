using System.Net;
using System.Text;
using System.Text.Json;
using HlsCdn.Protocol;
using HlsCdn.Tester.Publishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Tester.Spectating;

/// <summary>What the spectate page plays and where it is served.</summary>
/// <param name="NodeUrl">The node to pull from (ws:// or wss://).</param>
/// <param name="StreamId">The stream.</param>
/// <param name="PullSecret">Signs a fresh PULL token for every page load (or null).</param>
/// <param name="Token">A ready-made PULL token (or null).</param>
/// <param name="Port">HTTP port; 0 picks a free one.</param>
/// <param name="Bind">Address to listen on; loopback by default.</param>
public sealed record SpectateSettings(Uri NodeUrl, string StreamId, string? PullSecret, string? Token, int Port = 0, string Bind = "127.0.0.1")
{
    /// <summary>A channel's renditions (stream ids) to play with adaptive bitrate and a quality menu; null: <see cref="StreamId"/> alone.</summary>
    public IReadOnlyList<string>? StreamIds { get; init; }
}

/// <summary>
/// A small web server for one page: the browser player (client-js bundle) playing one stream, with live stats and the
/// picture-clock delay. The node URL, stream and token are written into the page, so its address alone is enough.
/// </summary>
public sealed class SpectateServer : IAsyncDisposable
{
    private static readonly TimeSpan PageTokenLifetime = TimeSpan.FromHours(12);
    private readonly WebApplication _app;

    private SpectateServer(WebApplication app, Uri pageUrl)
    {
        _app = app;
        PageUrl = pageUrl;
    }

    /// <summary>The address of the page.</summary>
    public Uri PageUrl { get; }

    /// <summary>Starts listening.</summary>
    /// <exception cref="ArgumentException">The bind address is not an IP address or <c>localhost</c>.</exception>
    public static async Task<SpectateServer> StartAsync(SpectateSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var page = ReadResource("HlsCdn.Tester.Spectating.spectate.html");
        var bundle = ReadResource("HlsCdn.Tester.Spectating.hlscdn-player.min.js");
        var issuer = string.IsNullOrEmpty(settings.PullSecret) ? null : new StreamTokenIssuer(settings.PullSecret);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (string.Equals(settings.Bind, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(settings.Port);
            }
            else if (IPAddress.TryParse(settings.Bind, out var address))
            {
                kestrel.Listen(address, settings.Port);
            }
            else
            {
                throw new ArgumentException($"--bind '{settings.Bind}' is not an IP address or localhost.");
            }
        });
        var app = builder.Build();
        app.MapGet("/", (HttpContext context) =>
        {
            var token = issuer?.Issue(StreamAccess.Pull, settings.StreamId, PageTokenLifetime) ?? settings.Token ?? string.Empty;
            var renditions = settings.StreamIds?.Select(id => new PageRendition(id, issuer?.Issue(StreamAccess.Pull, id, PageTokenLifetime) ?? settings.Token ?? string.Empty)).ToList();
            var config = JsonSerializer.Serialize(new PageConfig(settings.NodeUrl.ToString(), settings.StreamId, token, ClockLayout.Instance, renditions), PageConfigJson.Default.PageConfig);
            // JSON inside <script>: "</" must not close the element.
            config = config.Replace("</", "<\\/", StringComparison.Ordinal);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(page.Replace("/*HLSCDN_CONFIG*/null", config, StringComparison.Ordinal), "text/html; charset=utf-8");
        });
        app.MapGet("/hlscdn-player.min.js", () => Results.Text(bundle, "text/javascript; charset=utf-8"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new UriBuilder(address) { Path = "/" };
        if (url.Host is "0.0.0.0" or "[::]" or "::")
        {
            url.Host = "localhost";
        }

        return new SpectateServer(app, url.Uri);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(SpectateServer).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} is not embedded in the tester.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>What the page is told.</summary>
public sealed record PageConfig(string Url, string Stream, string Token, ClockLayout Clock, IReadOnlyList<PageRendition>? Renditions = null);

/// <summary>Where the picture clock's boxes are (see <see cref="ClockOverlay"/>).</summary>
public sealed record ClockLayout(int FirstBoxX, int BoxPitch, int BoxSize, int StripHeight, int DataBits)
{
    /// <summary>The layout <see cref="ClockOverlay"/> draws.</summary>
    public static readonly ClockLayout Instance = new(ClockOverlay.FirstBoxX, ClockOverlay.BoxPitch, ClockOverlay.BoxSize, ClockOverlay.StripHeight, ClockOverlay.DataBits);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(PageConfig))]
internal sealed partial class PageConfigJson : System.Text.Json.Serialization.JsonSerializerContext;
