using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HlsCdn.Node.Connections;

/// <summary>
/// Runs before ASP.NET Core's WebSocket middleware: on a request that can become a WebSocket (HTTP/1.1 upgrade or
/// HTTP/2 extended CONNECT) it stands in for the server's feature, so the accepted WebSocket runs over the node's own
/// <see cref="WebSocketTransport"/> (kept in the request's <see cref="WebSocketTransportFeature"/>).
/// </summary>
internal sealed class WebSocketTransportMiddleware(RequestDelegate next, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        if (upgrade is { IsUpgradableRequest: true } || connect is { IsExtendedConnect: true })
        {
            var holder = new WebSocketTransportFeature();
            context.Features.Set(holder);
            if (upgrade is { IsUpgradableRequest: true })
            {
                context.Features.Set<IHttpUpgradeFeature>(new WebSocketTransportUpgradeFeature(upgrade, context, holder, time));
            }
            else
            {
                context.Features.Set<IHttpExtendedConnectFeature>(new WebSocketTransportConnectFeature(connect!, context, holder, time));
            }
        }

        return next(context);
    }
}
