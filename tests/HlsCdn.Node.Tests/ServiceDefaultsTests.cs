using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HlsCdn.Node.Tests;

/// <summary>What <c>AddServiceDefaults</c> gives the HttpClients of the services.</summary>
public sealed class ServiceDefaultsTests
{
    [Fact]
    public async Task The_telemetry_exporter_tries_a_failing_collector_once_while_other_clients_retry()
    {
        var ct = TestContext.Current.CancellationToken;
        var requests = 0;
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = collectorBuilder.Build();
        collector.Run(context =>
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        await collector.StartAsync(ct);
        var url = new Uri(collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = url.ToString() });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var clients = host.Services.GetRequiredService<IHttpClientFactory>();

        foreach (var exporter in Extensions.OtlpExporterClientNames)
        {
            var before = Volatile.Read(ref requests);
            using var response = await clients.CreateClient(exporter).PostAsync(url, new ByteArrayContent([1]), ct);
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(1, Volatile.Read(ref requests) - before);
        }

        // Any other client keeps the standard resilience handler: a 503 is retried.
        var beforeOther = Volatile.Read(ref requests);
        using var other = await clients.CreateClient("registry-api").PostAsync(url, new ByteArrayContent([1]), ct);
        Assert.True(Volatile.Read(ref requests) - beforeOther > 1, $"{Volatile.Read(ref requests) - beforeOther} attempts");
    }
}
