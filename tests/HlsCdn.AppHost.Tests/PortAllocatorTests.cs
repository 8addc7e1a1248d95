using System.Net;
using System.Net.Sockets;
using HlsCdn.Hosting.Orchestration;

namespace HlsCdn.AppHost.Tests;

public sealed class PortAllocatorTests
{
    [Fact]
    public void Ports_are_distinct_and_bindable_on_loopback()
    {
        var allocator = new PortAllocator();
        var ports = Enumerable.Range(0, 50).Select(_ => allocator.Allocate()).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 1024, 65535));
        using var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public void A_busy_preferred_port_gives_the_next_free_one()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var allocator = new PortAllocator();
        var given = allocator.AllocatePreferred(port);
        Assert.NotEqual(port, given);
        Assert.True(PortAllocator.IsFree(given));
        Assert.NotEqual(given, allocator.AllocatePreferred(port));
    }
}
