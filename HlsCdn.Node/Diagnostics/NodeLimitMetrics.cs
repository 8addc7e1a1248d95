using System.Diagnostics.Metrics;

namespace HlsCdn.Node.Diagnostics;

/// <summary>Instruments of the request limits, on the same meter as <see cref="NodeMetrics"/> (<c>HlsCdn.Node</c>).</summary>
public sealed class NodeLimitMetrics
{
    public NodeLimitMetrics(IMeterFactory meterFactory)
    {
        // Same name and version as NodeMetrics: the factory hands out the same Meter, which NodeMetrics owns.
        var meter = meterFactory.Create(NodeMetrics.MeterName, typeof(NodeMetrics).Assembly.GetName().Version?.ToString());
        RateLimitRejections = meter.CreateCounter<long>("hlscdn.ratelimit.rejections", "{request}", "Requests answered 429 by the per-IP limits, by kind (websocket or http).");
        Refusals = meter.CreateCounter<long>("hlscdn.upgrades.refused", "{request}", "WebSocket upgrades refused before a session started, by reason (shutdown 503, origin 403).");
    }

    public Counter<long> RateLimitRejections { get; }

    public Counter<long> Refusals { get; }
}
