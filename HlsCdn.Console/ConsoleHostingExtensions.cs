using System.Text.RegularExpressions;
using HlsCdn.Protocol;
using Microsoft.Extensions.Options;

namespace HlsCdn.Console;

/// <summary>The console's services and endpoints.</summary>
public static partial class ConsoleHostingExtensions
{
    public static WebApplicationBuilder AddCdnConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>()
            .BindConfiguration(ConsoleOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrEmpty(options.PullSecret))
                {
                    options.PullSecret = configuration["PULL_SECRET"] ?? string.Empty;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(ClusterReader.HttpClientName);
        builder.Services.AddSingleton<ClusterReader>();
        return builder;
    }

    /// <summary>
    /// <c>/</c> the page, <c>/api/cluster</c> the nodes and streams, <c>/api/token?streamId=</c> a pull token for the
    /// player, <c>/player/hlscdn-player.min.js</c> the client-js bundle.
    /// </summary>
    public static WebApplication MapCdnConsole(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGet("/api/cluster", (ClusterReader reader, CancellationToken ct) => reader.ReadAsync(ct));
        app.MapGet("/api/token", (string? streamId, IOptions<ConsoleOptions> options) =>
        {
            if (streamId is null || !StreamIdPattern().IsMatch(streamId))
            {
                return Results.BadRequest("streamId: 1 to 255 characters of letters, digits, '-', '_', '.'");
            }

            var o = options.Value;
            return Results.Json(new { token = o.PullSecret.Length == 0 ? null : StreamTokenIssuer.Issue(o.PullSecret, StreamAccess.Pull, streamId, o.TokenLifetime) });
        });
        var bundle = Path.Combine(AppContext.BaseDirectory, "player", "hlscdn-player.min.js");
        app.MapGet("/player/hlscdn-player.min.js", () => Results.File(bundle, "text/javascript; charset=utf-8"));
        return app;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,255}$")]
    private static partial Regex StreamIdPattern();
}
