using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HlsCdn.Node.Tests;

/// <summary>
/// Put first in a test node's pipeline (an <see cref="IStartupFilter"/>): counts the WebSocket upgrade requests in
/// flight (HTTP/1.1 upgrades) and keeps a weak reference to the context of each, to see whether a request outlives its session.
/// </summary>
public sealed class UpgradeRequestRecorder : IStartupFilter
{
    private readonly Lock _gate = new();
    private readonly List<WeakReference<HttpContext>> _contexts = [];
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>How many of the recorded upgrade requests' contexts have not been collected yet (after a full collection).</summary>
    public int ContextsAlive()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        lock (_gate)
        {
            return _contexts.Count(c => c.TryGetTarget(out _));
        }
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(RecordAsync);
        next(app);
    };

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        // First in the pipeline, before the WebSocket middleware: an upgrade is what Kestrel says it is.
        if (context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true })
        {
            await next(context);
            return;
        }

        lock (_gate)
        {
            _contexts.Add(new WeakReference<HttpContext>(context));
        }

        Interlocked.Increment(ref _inFlight);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
