using HlsCdn.Node.Configuration;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Shutdown;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Admission;

/// <summary>
/// Decides whether a WebSocket upgrade may start a session: 503 (with <c>Retry-After: 1</c>) while the node shuts
/// down, 403 for a browser whose <c>Origin</c> is not in <see cref="NodeAdmissionOptions.AllowedOrigins"/>. Other
/// requests pass through.
/// </summary>
internal sealed class AdmissionMiddleware
{
    private const int MaxLoggedOriginLength = 200;

    private readonly RequestDelegate _next;
    private readonly NodeLifecycle _lifecycle;
    private readonly NodeLimitMetrics _metrics;
    private readonly ILogger _logger;
    private readonly HashSet<string>? _origins;

    public AdmissionMiddleware(RequestDelegate next, NodeLifecycle lifecycle, NodeLimitMetrics metrics, IOptions<NodeAdmissionOptions> options, ILogger<AdmissionMiddleware> logger)
    {
        _next = next;
        _lifecycle = lifecycle;
        _metrics = metrics;
        _logger = logger;
        var allowed = options.Value.AllowedOrigins;
        _origins = string.IsNullOrWhiteSpace(allowed)
            ? null
            : new HashSet<string>(AddressLists.Split(allowed).Select(AddressLists.NormalizeOrigin), StringComparer.Ordinal);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            if (_lifecycle.IsStopping)
            {
                _logger.RefusedShuttingDown(context.Connection.RemoteIpAddress?.ToString());
                _metrics.Refusals.Add(1, new KeyValuePair<string, object?>("reason", "shutdown"));
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                return Task.CompletedTask;
            }

            if (_origins is not null && context.Request.Headers.Origin.ToString() is { Length: > 0 } origin && !_origins.Contains(AddressLists.NormalizeOrigin(origin)))
            {
                _logger.RefusedOrigin(context.Connection.RemoteIpAddress?.ToString(), origin.Length <= MaxLoggedOriginLength ? origin : origin[..MaxLoggedOriginLength]);
                _metrics.Refusals.Add(1, new KeyValuePair<string, object?>("reason", "origin"));
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }
        }

        return _next(context);
    }
}
