using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using HlsCdn.Protocol;

namespace HlsCdn.Client;

internal enum IncomingKind
{
    Text,
    Binary,
    Closed,
}

/// <summary>One received message. <see cref="Binary"/> is only valid until the next receive.</summary>
internal readonly record struct Incoming(IncomingKind Kind, ProtocolMessage? Message, ReadOnlyMemory<byte> Binary, string? CloseDescription);

/// <summary>
/// One WebSocket connection speaking the protocol: a single writer (every send, including the two halves of a
/// fragment, holds the send lock) and one reader with size limits.
/// </summary>
internal sealed class ProtocolConnection : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;

    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly int _maxBinaryBytes;
    private readonly ProtocolMessageReader _reader;
    private long _lastSend;
    private int _disposed;

    private ProtocolConnection(WebSocket socket, Uri url, int maxBinaryBytes)
    {
        _socket = socket;
        Url = url;
        _maxBinaryBytes = maxBinaryBytes;
        _reader = new ProtocolMessageReader(socket, maxBinaryBytes, Math.Min(InitialBufferBytes, Math.Max(maxBinaryBytes, ProtocolLimits.MaxTextMessageBytes) + 1));
        _lastSend = Stopwatch.GetTimestamp();
        Opened = Stopwatch.GetTimestamp();
    }

    public Uri Url { get; }

    public long Opened { get; }

    public TimeSpan SinceLastSend => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastSend));

    public static string Describe(Uri url) => url.GetLeftPart(UriPartial.Path);

    public static async Task<ProtocolConnection> ConnectAsync(Uri url, Func<ClientWebSocket>? factory, TimeSpan timeout, int maxBinaryBytes, CancellationToken cancellationToken)
    {
        var socket = factory?.Invoke() ?? new ClientWebSocket();
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(url, timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new StreamConnectionException($"Connecting to {Describe(url)} timed out after {timeout.TotalSeconds:0.###} s.");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or InvalidOperationException)
        {
            socket.Dispose();
            throw new StreamConnectionException($"Could not connect to {Describe(url)}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ProtocolConnection(socket, url, maxBinaryBytes);
    }

    /// <summary>Sends <paramref name="request"/> (PUSH or PULL) and waits for <c>OK</c>.</summary>
    public async Task HandshakeAsync(string request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await SendTextAsync(request, timeoutCts.Token).ConfigureAwait(false);
            while (true)
            {
                var incoming = await ReceiveAsync(null, timeoutCts.Token).ConfigureAwait(false);
                switch (incoming.Kind)
                {
                    case IncomingKind.Closed:
                        throw new StreamConnectionException($"{Describe(Url)} closed the connection before OK ({incoming.CloseDescription}).");
                    case IncomingKind.Binary:
                        throw new StreamProtocolException(ErrorCodes.ProtocolError, "Binary message received before OK.");
                }

                var message = incoming.Message!;
                if (message.Is(MessageTypes.Ok))
                {
                    return;
                }

                if (message.Is(MessageTypes.Error))
                {
                    throw StreamProtocolException.FromErrorMessage(message);
                }

                if (!message.Is(MessageTypes.Heartbeat))
                {
                    throw new StreamProtocolException(ErrorCodes.ProtocolError, $"Unexpected {message.Type} before OK.");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StreamConnectionException($"{Describe(Url)} did not answer OK within {timeout.TotalSeconds:0.###} s.");
        }
    }

    /// <summary>Sends one text message; text over the protocol's limit is never sent.</summary>
    public async Task SendTextAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > ProtocolLimits.MaxTextMessageBytes)
        {
            throw new InvalidOperationException($"A {bytes.Length}-byte text message exceeds the protocol's {ProtocolLimits.MaxTextMessageBytes}-byte limit and was not sent.");
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendCoreAsync(bytes, WebSocketMessageType.Text, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends <c>F:duration=D</c> and the fragment's bytes back to back, nothing in between.</summary>
    public async Task SendFragmentAsync(double durationSeconds, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var header = Encoding.UTF8.GetBytes(Messages.Fragment(durationSeconds));
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendCoreAsync(header, WebSocketMessageType.Text, cancellationToken).ConfigureAwait(false);
            await SendCoreAsync(data, WebSocketMessageType.Binary, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendCoreAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(data, type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lastSend, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            throw new StreamConnectionException($"Sending to {Describe(Url)} failed: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The WebSocket reports a send under way when it is aborted (the connection was dropped, e.g. by the read
            // loop after the node vanished) as a cancellation. The caller cancelled nothing: it is a lost connection.
            throw new StreamConnectionException($"Sending to {Describe(Url)} failed: the connection was aborted.", ex);
        }
    }

    /// <summary>Receives the next whole message.</summary>
    /// <exception cref="StreamConnectionException">The connection failed or nothing arrived within <paramref name="idleTimeout"/>.</exception>
    /// <exception cref="StreamProtocolException">The message is oversize or not a valid text message.</exception>
    public async Task<Incoming> ReceiveAsync(TimeSpan? idleTimeout, CancellationToken cancellationToken)
    {
        using var idleCts = idleTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idleCts?.CancelAfter(idleTimeout!.Value);
        var token = idleCts?.Token ?? cancellationToken;
        try
        {
            var received = await _reader.ReceiveAsync(allowBinary: true, token).ConfigureAwait(false);
            switch (received.Kind)
            {
                case ReceivedMessageKind.Closed:
                    return new Incoming(IncomingKind.Closed, null, default, $"{_socket.CloseStatus} {_socket.CloseStatusDescription}".Trim());
                case ReceivedMessageKind.TextTooBig:
                    await CloseQuietlyAsync(WebSocketCloseStatus.MessageTooBig).ConfigureAwait(false);
                    throw new StreamProtocolException(ErrorCodes.ProtocolError, $"Text message over {ProtocolLimits.MaxTextMessageBytes} bytes received.");
                case ReceivedMessageKind.BinaryTooBig:
                    await CloseQuietlyAsync(WebSocketCloseStatus.MessageTooBig).ConfigureAwait(false);
                    throw new StreamProtocolException(ErrorCodes.FragmentTooLarge, $"Binary message over {_maxBinaryBytes} bytes received.");
                case ReceivedMessageKind.MalformedText:
                    throw new StreamProtocolException(ErrorCodes.ProtocolError, "Malformed text message received.");
                case ReceivedMessageKind.Binary:
                    return new Incoming(IncomingKind.Binary, null, received.Payload, null);
                default:
                    return new Incoming(IncomingKind.Text, received.Message, default, null);
            }
        }
        catch (OperationCanceledException) when (idleCts is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw new StreamConnectionException($"Nothing received from {Describe(Url)} for {idleTimeout!.Value.TotalSeconds:0.###} s.");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // As for sends: a receive under way when the WebSocket is aborted ends as a cancellation nobody asked for.
            throw new StreamConnectionException($"Receiving from {Describe(Url)} failed: the connection was aborted.", ex);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            throw new StreamConnectionException($"Receiving from {Describe(Url)} failed: {ex.Message}", ex);
        }
    }

    /// <summary>Sends a heartbeat whenever nothing was sent for <paramref name="interval"/>, until cancelled or the connection fails.</summary>
    public async Task RunHeartbeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var idle = SinceLastSend;
                if (idle >= interval)
                {
                    // The stop token only ends the loop, never a send in flight: cancelling a WebSocket send aborts the
                    // connection, so a heartbeat being sent when the owner closed cut the close handshake short.
                    await SendTextAsync(Messages.Heartbeat, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(interval - idle, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (StreamConnectionException)
        {
            // The reader notices the broken connection and handles it.
        }
    }

    /// <summary>Best effort: sends <c>E</c> then closes.</summary>
    public async Task SendErrorAndCloseAsync(string code, string message)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendTextAsync(Messages.Error(code, message.Length > 200 ? message[..200] : message), cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StreamConnectionException or OperationCanceledException or InvalidOperationException)
        {
        }

        await CloseQuietlyAsync(WebSocketCloseStatus.ProtocolError).ConfigureAwait(false);
    }

    /// <summary>Best effort: sends a close frame (the caller's reader, if any, sees the peer's answer).</summary>
    public async Task CloseOutputQuietlyAsync(TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
        }
    }

    private async Task CloseQuietlyAsync(WebSocketCloseStatus status)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, null, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
        }

        _socket.Abort();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The reader's buffer is left to the collector, not returned to the pool: a receive may still be under way.
        _socket.Abort();
        _socket.Dispose();
    }
}
