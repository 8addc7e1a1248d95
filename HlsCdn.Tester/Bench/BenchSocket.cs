using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using HlsCdn.Protocol;

namespace HlsCdn.Tester.Bench;

/// <summary>Opens a bench connection: WebSocket connect, first message (PUSH/PULL), wait for <c>OK</c>.</summary>
public static class BenchSocket
{
    /// <summary>Connects and signs in; throws <see cref="BenchException"/> when the node answers anything but <c>OK</c>.</summary>
    public static Task<ClientWebSocket> ConnectAsync(Uri url, string firstMessage, int receiveBufferSize, CancellationToken cancellationToken) =>
        ConnectAsync(url, firstMessage, receiveBufferSize, upgraded: null, cancellationToken);

    /// <summary>
    /// Connects and signs in, as above; <paramref name="upgraded"/> gets the <see cref="Stopwatch"/> timestamp at which the
    /// node's <c>101</c> answer had been read (the WebSocket is open), before the first message is sent.
    /// </summary>
    public static async Task<ClientWebSocket> ConnectAsync(Uri url, string firstMessage, int receiveBufferSize, Action<long>? upgraded, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.SetBuffer(Math.Max(receiveBufferSize, 256), 4096);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BenchLimits.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(url, timeout.Token).ConfigureAwait(false);
            upgraded?.Invoke(Stopwatch.GetTimestamp());
            await SendTextAsync(socket, firstMessage, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[ProtocolLimits.MaxTextMessageBytes];
            var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token).ConfigureAwait(false);
            if (result.MessageType != WebSocketMessageType.Text)
            {
                throw new BenchException($"{url} answered {firstMessage.Split(':')[0]} with a {result.MessageType} message instead of OK");
            }

            var answer = Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (!string.Equals(answer, MessageTypes.Ok, StringComparison.OrdinalIgnoreCase))
            {
                throw new BenchException($"{url} refused {firstMessage.Split(':')[0]}: {Describe(answer)}");
            }

            return socket;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new BenchException($"cannot connect to {url}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one text message.</summary>
    public static ValueTask SendTextAsync(WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory(), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Closes without waiting long for the peer: a close frame if the socket is open, then abort.</summary>
    public static async Task CloseQuietlyAsync(WebSocket socket)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    /// <summary>An <c>E</c> message as "CODE: message"; anything else as is.</summary>
    public static string Describe(string message) =>
        ProtocolMessage.TryParse(message, out var parsed) && parsed.Type == MessageTypes.Error
            ? $"{parsed.Get(MessageParameters.Code)} ({parsed.Get(MessageParameters.Message)})"
            : message;
}
