using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Tester.Tests.Bench;

/// <summary>
/// A fake node on a loopback port that speaks just enough of the protocol (PUSH, PULL, OK, F, CLOSE) to relay a
/// publisher's fragments to its spectators, and damages them as a script says: per fragment index and spectator index
/// (in PULL order). Lets the tests show that the bench detects loss, corruption, duplicates and reordering.
/// </summary>
public sealed class ScriptedNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<int, int, Fault> _script;
    private readonly List<Spectator> _spectators = [];
    private readonly Lock _lock = new();

    private ScriptedNode(WebApplication app, Func<int, int, Fault> script)
    {
        _app = app;
        _script = script;
    }

    public Uri Url { get; private set; } = null!;

    public static async Task<ScriptedNode> StartAsync(Func<int, int, Fault> script)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var node = new ScriptedNode(app, script);
        app.UseWebSockets();
        app.Run(node.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        node.Url = new UriBuilder(address) { Scheme = "ws", Path = "/" }.Uri;
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var (type, first) = await ReceiveAsync(socket);
        if (type != WebSocketMessageType.Text)
        {
            return;
        }

        if (Encoding.UTF8.GetString(first).StartsWith("PULL", StringComparison.Ordinal))
        {
            var spectator = new Spectator(socket);
            lock (_lock)
            {
                spectator.Index = _spectators.Count;
                _spectators.Add(spectator);
            }

            await SendTextAsync(socket, "OK");
            await spectator.Done.Task;
            return;
        }

        await SendTextAsync(socket, "OK");

        var index = 0;
        string? announce = null;
        while (true)
        {
            var (kind, message) = await ReceiveAsync(socket);
            if (kind == WebSocketMessageType.Close)
            {
                break;
            }

            if (kind == WebSocketMessageType.Text)
            {
                var text = Encoding.UTF8.GetString(message);
                if (text == "CLOSE")
                {
                    break;
                }

                announce = text;
                continue;
            }

            Spectator[] spectators;
            lock (_lock)
            {
                spectators = [.. _spectators];
            }

            foreach (var spectator in spectators)
            {
                await SendAsync(spectator, announce!, message, _script(index, spectator.Index));
            }

            index++;
        }

        foreach (var spectator in _spectators)
        {
            if (spectator.Held is { } held)
            {
                await SendAsync(spectator, held.Announce, held.Payload, Fault.None);
            }

            await SendTextAsync(spectator.Socket, "CLOSE");
            spectator.Done.TrySetResult();
        }
    }

    private static async Task SendAsync(Spectator spectator, string announce, byte[] payload, Fault fault)
    {
        switch (fault)
        {
            case Fault.Drop:
                return;
            case Fault.HoldForNext:
                spectator.Held = (announce, payload);
                return;
            case Fault.Corrupt:
                payload = [.. payload];
                payload[payload.Length / 2] ^= 0x55;
                break;
            case Fault.Truncate:
                payload = payload[..^1];
                break;
        }

        for (var copies = fault == Fault.Duplicate ? 2 : 1; copies > 0; copies--)
        {
            await SendTextAsync(spectator.Socket, announce);
            await spectator.Socket.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
        }

        if (spectator.Held is { } held && fault != Fault.HoldForNext)
        {
            spectator.Held = null;
            await SendAsync(spectator, held.Announce, held.Payload, Fault.None);
        }
    }

    private static Task SendTextAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<(WebSocketMessageType Type, byte[] Message)> ReceiveAsync(WebSocket socket)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return (result.MessageType, message.ToArray());
    }

    private sealed class Spectator(WebSocket socket)
    {
        public WebSocket Socket => socket;

        public int Index { get; set; }

        public (string Announce, byte[] Payload)? Held { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
