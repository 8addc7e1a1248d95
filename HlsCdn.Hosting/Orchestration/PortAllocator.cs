using System.Net;
using System.Net.Sockets;

namespace HlsCdn.Hosting.Orchestration;

/// <summary>Hands out free loopback TCP ports, never the same one twice in a run.</summary>
public sealed class PortAllocator
{
    private readonly HashSet<int> _given = [];
    private readonly Lock _lock = new();

    /// <summary>A port the operating system reports free on 127.0.0.1.</summary>
    public int Allocate()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (_lock)
            {
                if (_given.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("Could not find a free loopback port.");
    }

    /// <summary><paramref name="preferred"/> if free, else the next free port above it (within <paramref name="range"/>), else any.</summary>
    public int AllocatePreferred(int preferred, int range = 100)
    {
        if (preferred <= 0)
        {
            return Allocate();
        }

        for (var port = preferred; port < Math.Min(preferred + range, 65536); port++)
        {
            lock (_lock)
            {
                if (!_given.Contains(port) && IsFree(port))
                {
                    _given.Add(port);
                    return port;
                }
            }
        }

        return Allocate();
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
