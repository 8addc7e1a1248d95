using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using HlsCdn.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Client.Tests;

/// <summary>A real Kestrel WebSocket server on 127.0.0.1 that runs a test's script for each connection.</summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Exception> _scriptErrors = new();
    private int _connections;

    private ScriptedServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Errors thrown by scripts (assertions that failed server-side).</summary>
    public IReadOnlyCollection<Exception> ScriptErrors => _scriptErrors;

    /// <summary>Starts a server; <paramref name="script"/> runs for each WebSocket connection with its 0-based index.</summary>
    public static async Task<ScriptedServer> StartAsync(Func<ServerConnection, int, Task> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ScriptedServer? server = null;
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var index = Interlocked.Increment(ref server!._connections) - 1;
            var connection = new ServerConnection(context, socket);
            try
            {
                await script(connection, index);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not WebSocketException and not ConnectionAbortedByTest)
            {
                server._scriptErrors.Enqueue(ex);
            }
            catch (Exception)
            {
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        server = new ScriptedServer(app, new Uri($"ws://127.0.0.1:{address.Port}/"));
        return server;
    }

    /// <summary>A ws:// URL on which nothing listens.</summary>
    public static Uri DeadUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"ws://127.0.0.1:{port}/");
    }

    public void AssertNoScriptErrors()
    {
        if (!_scriptErrors.IsEmpty)
        {
            throw new AggregateException("The server script failed.", _scriptErrors);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

internal sealed class ConnectionAbortedByTest : Exception;

/// <summary>The server side of one connection, as a test script sees it.</summary>
internal sealed class ServerConnection(HttpContext context, WebSocket socket)
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);

    public WebSocket Socket { get; } = socket;

    /// <summary>Receives the next message; text as a string, binary as bytes, null when the client closed.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Data)?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ReceiveTimeout);
        var buffer = new byte[64 * 1024];
        using var data = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, data.ToArray());
            }
        }
    }

    /// <summary>Receives a text message and parses it.</summary>
    public async Task<ProtocolMessage> ReceiveMessageAsync(TimeSpan? timeout = null)
    {
        var received = await ReceiveAsync(timeout) ?? throw new InvalidOperationException("The client closed instead of sending a text message.");
        Assert.Equal(WebSocketMessageType.Text, received.Type);
        return ProtocolMessage.Parse(Encoding.UTF8.GetString(received.Data));
    }

    /// <summary>Receives the next message that is not a heartbeat.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Data)?> ReceiveNonHeartbeatAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var received = await ReceiveAsync(timeout);
            if (received is { Type: WebSocketMessageType.Text } t && Encoding.UTF8.GetString(t.Data) == Messages.Heartbeat)
            {
                continue;
            }

            return received;
        }
    }

    /// <summary>Receives <c>F:duration=D</c> + binary, skipping heartbeats.</summary>
    public async Task<(string Duration, byte[] Data)> ReceiveFragmentAsync()
    {
        var header = await ReceiveNonHeartbeatAsync() ?? throw new InvalidOperationException("Closed instead of F.");
        Assert.Equal(WebSocketMessageType.Text, header.Type);
        var message = ProtocolMessage.Parse(Encoding.UTF8.GetString(header.Data));
        Assert.Equal(MessageTypes.Fragment, message.Type);
        var body = await ReceiveAsync() ?? throw new InvalidOperationException("Closed instead of the binary fragment.");
        Assert.Equal(WebSocketMessageType.Binary, body.Type);
        return (message.Get(MessageParameters.Duration)!, body.Data);
    }

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        Socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    public async Task SendFragmentAsync(string duration, byte[] data)
    {
        await SendTextAsync("F:duration=" + duration);
        await SendBinaryAsync(data);
    }

    /// <summary>
    /// Drops the TCP connection without a close handshake, as the original server does after <c>E</c>. Waits a little
    /// first so what was sent is flushed: Kestrel's abort resets the connection and discards unflushed output.
    /// </summary>
    public async Task DropAsync()
    {
        await Task.Delay(100);
        context.Abort();
    }

    public async Task CloseAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Keeps the connection open until the client goes away (or the timeout).</summary>
    public async Task DrainAsync(TimeSpan? timeout = null)
    {
        try
        {
            while (await ReceiveAsync(timeout ?? TimeSpan.FromSeconds(30)) is not null)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }
}
