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

    /// <summary>
    /// The page pulls through a relay on loopback whose bandwidth towards the browser the page's Link menu limits (one
    /// link for all its pulls), to watch adaptive bitrate switch. Needs the page served on loopback.
    /// </summary>
    public bool ShapeLink { get; init; }
}

/// <summary>
/// A small web server for one page: the browser player (client-js bundle) playing one stream, with live stats and the
/// picture-clock delay. The node URL, stream and token are written into the page, so its address alone is enough.
/// </summary>
public sealed class SpectateServer : IAsyncDisposable
{
    private static readonly TimeSpan PageTokenLifetime = TimeSpan.FromHours(12);

    /// <summary>The lowest and highest limit the Link menu may set, kbit/s.</summary>
    public const int MinLinkKbps = 16;

    /// <inheritdoc cref="MinLinkKbps"/>
    public const int MaxLinkKbps = 1_000_000;

    private readonly WebApplication _app;
    private readonly ShapingRelay? _relay;

    private SpectateServer(WebApplication app, Uri pageUrl, ShapingRelay? relay)
    {
        _app = app;
        PageUrl = pageUrl;
        _relay = relay;
    }

    /// <summary>The address of the page.</summary>
    public Uri PageUrl { get; }

    /// <summary>The page's link when <see cref="SpectateSettings.ShapeLink"/> is set (the Link menu changes it), else null.</summary>
    public BandwidthLimit? Link => _relay?.Limit;

    /// <summary>Starts listening.</summary>
    /// <exception cref="ArgumentException">The bind address is not an IP address or <c>localhost</c>, or the link is shaped for a page not on loopback.</exception>
    public static async Task<SpectateServer> StartAsync(SpectateSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ShapeLink && !IsLoopback(settings.Bind))
        {
            throw new ArgumentException($"--shape-link relays on 127.0.0.1, which a browser elsewhere cannot reach: serve the page on loopback, not --bind '{settings.Bind}'.");
        }

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
        var relay = settings.ShapeLink ? await ShapingRelay.StartAsync(settings.NodeUrl).ConfigureAwait(false) : null;
        var pageNodeUrl = relay?.WebSocketUrl ?? settings.NodeUrl;
        app.MapGet("/", (HttpContext context) =>
        {
            var token = issuer?.Issue(StreamAccess.Pull, settings.StreamId, PageTokenLifetime) ?? settings.Token ?? string.Empty;
            var renditions = settings.StreamIds?.Select(id => new PageRendition(id, issuer?.Issue(StreamAccess.Pull, id, PageTokenLifetime) ?? settings.Token ?? string.Empty)).ToList();
            var config = JsonSerializer.Serialize(new PageConfig(pageNodeUrl.ToString(), settings.StreamId, token, ClockLayout.Instance, renditions, relay is not null), PageConfigJson.Default.PageConfig);
            // JSON inside <script>: "</" must not close the element.
            config = config.Replace("</", "<\\/", StringComparison.Ordinal);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(page.Replace("/*HLSCDN_CONFIG*/null", config, StringComparison.Ordinal), "text/html; charset=utf-8");
        });
        app.MapGet("/hlscdn-player.min.js", () => Results.Text(bundle, "text/javascript; charset=utf-8"));
        if (relay is not null)
        {
            // The Link menu: POST /link?kbps=N limits the page's link to N kbit/s, kbps=off lifts the limit.
            app.MapPost("/link", (string? kbps) =>
            {
                if (string.Equals(kbps, "off", StringComparison.Ordinal))
                {
                    relay.Limit.BitsPerSecond = null;
                    return Results.NoContent();
                }

                if (!int.TryParse(kbps, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value is < MinLinkKbps or > MaxLinkKbps)
                {
                    return Results.BadRequest($"kbps must be 'off' or a whole number of kbit/s from {MinLinkKbps} to {MaxLinkKbps}");
                }

                relay.Limit.BitsPerSecond = value * 1000.0;
                return Results.NoContent();
            });
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (relay is not null)
            {
                await relay.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new UriBuilder(address) { Path = "/" };
        if (url.Host is "0.0.0.0" or "[::]" or "::")
        {
            url.Host = "localhost";
        }

        return new SpectateServer(app, url.Uri, relay);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_relay is not null)
        {
            await _relay.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsLoopback(string bind) =>
        string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(bind, out var address) && IPAddress.IsLoopback(address));

    private static string ReadResource(string name)
    {
        using var stream = typeof(SpectateServer).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} is not embedded in the tester.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>What the page is told.</summary>
public sealed record PageConfig(string Url, string Stream, string Token, ClockLayout Clock, IReadOnlyList<PageRendition>? Renditions = null, bool Link = false);

/// <summary>Where the picture clock's boxes are (see <see cref="ClockOverlay"/>).</summary>
public sealed record ClockLayout(int FirstBoxX, int BoxPitch, int BoxSize, int StripHeight, int DataBits)
{
    /// <summary>The layout <see cref="ClockOverlay"/> draws.</summary>
    public static readonly ClockLayout Instance = new(ClockOverlay.FirstBoxX, ClockOverlay.BoxPitch, ClockOverlay.BoxSize, ClockOverlay.StripHeight, ClockOverlay.DataBits);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(PageConfig))]
internal sealed partial class PageConfigJson : System.Text.Json.Serialization.JsonSerializerContext;
