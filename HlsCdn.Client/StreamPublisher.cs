using System.Diagnostics;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HlsCdn.Client;

/// <summary>
/// Publishes one stream to a node: <c>PUSH</c>, then <c>F:duration=D</c> + binary for each fragment, <c>CLOSE</c> at the end.
/// When the connection drops it reconnects in the background with backoff, cycling through the configured node URLs
/// (starting with the one after the node that was lost), and <see cref="SendFragmentAsync"/> resends the fragment whose send failed on the new connection.
/// <c>AUTH_ERROR</c> and <c>PUSH_ERROR</c> (another publisher took the stream over) are not retried: they fault the
/// publisher and surface as <see cref="StreamProtocolException"/>.
/// </summary>
/// <remarks>
/// Thread-safe: sends are serialised (an <c>F</c> and its binary are never interleaved with anything else).
/// Call <see cref="CloseAsync"/> to end the stream; disposing without it just drops the connection.
/// </remarks>
public sealed class StreamPublisher : IAsyncDisposable
{
    // The publisher never receives fragments; anything binary is a protocol violation.
    private const int MaxIncomingBinaryBytes = 64 * 1024;
    private static readonly TimeSpan HealthySessionAge = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly StreamPublisherOptions _options;
    private readonly ILogger _logger;
    private readonly StreamTokenIssuer? _issuer;
    private readonly Uri[] _urls;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();
    private Session? _current;
    private Task<Session>? _pending;
    private Exception? _fault;
    private bool _started;
    private bool _closed;
    private int _urlIndex;
    private StreamConnectionState _state;
    private long _fragmentsSent;
    private int _reconnects;
    private int _disposed;

    /// <summary>Creates a publisher; nothing happens until <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public StreamPublisher(StreamPublisherOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _urls = [.. options.Urls];
        if (!string.IsNullOrEmpty(options.PushSecret))
        {
            _issuer = new StreamTokenIssuer(options.PushSecret);
        }
    }

    /// <summary>Raised on every state change (from a background thread; keep handlers short).</summary>
    public event EventHandler<StreamConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>The stream being published.</summary>
    public string StreamId => _options.StreamId;

    /// <summary>The current state.</summary>
    public StreamConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Whether a connection is up and accepted by a node.</summary>
    public bool IsConnected => State == StreamConnectionState.Connected;

    /// <summary>The node currently published to, or null while not connected.</summary>
    public Uri? ConnectedUrl
    {
        get
        {
            lock (_gate)
            {
                return _current?.Connection.Url;
            }
        }
    }

    /// <summary>The error that faulted the publisher, if any.</summary>
    public Exception? Fault
    {
        get
        {
            lock (_gate)
            {
                return _fault;
            }
        }
    }

    /// <summary>Fragments sent successfully so far.</summary>
    public long FragmentsSent => Interlocked.Read(ref _fragmentsSent);

    /// <summary>How many times the publisher reconnected after losing a connection.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>
    /// Connects to the first node (in <see cref="StreamPublisherOptions.Urls"/> order) that accepts the <c>PUSH</c>,
    /// trying each URL once.
    /// </summary>
    /// <exception cref="StreamProtocolException">A node refused with <c>AUTH_ERROR</c>/<c>PUSH_ERROR</c>, or every node refused with <c>PUSH_NOT_ALLOWED</c>.</exception>
    /// <exception cref="StreamConnectionException">No node could be reached.</exception>
    /// <exception cref="InvalidOperationException">Already connected.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_started)
            {
                throw new InvalidOperationException("ConnectAsync was already called.");
            }

            _started = true;
        }

        SetState(StreamConnectionState.Connecting, null, null);
        Session session;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
            session = await ConnectAnyAsync(isReconnect: false, previousHealthy: false, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _started = false;
            }

            SetState(StreamConnectionState.Disconnected, null, ex);
            throw;
        }

        if (!Activate(session))
        {
            session.Dispose();
            throw new ObjectDisposedException(nameof(StreamPublisher));
        }
    }

    /// <summary>
    /// Sends one fragment: <c>F:duration=D</c> immediately followed by the binary message. If the connection is down it
    /// waits for the reconnection; if the send fails it resends on the next connection (up to
    /// <see cref="StreamPublisherOptions.MaxSendAttempts"/> connections).
    /// </summary>
    /// <param name="data">The fragment (one MPEG-TS segment); not empty. It is not retained after the call returns.</param>
    /// <param name="duration">The fragment's duration; positive.</param>
    /// <param name="cancellationToken">Cancels the wait or the send (a cancelled send aborts the connection, which is then replaced).</param>
    /// <exception cref="StreamProtocolException">The publisher is faulted (<c>AUTH_ERROR</c>, <c>PUSH_ERROR</c>, ...).</exception>
    /// <exception cref="StreamConnectionException">The fragment could not be delivered, or reconnection gave up.</exception>
    public async Task SendFragmentAsync(ReadOnlyMemory<byte> data, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        if (data.IsEmpty)
        {
            throw new ArgumentException("A fragment must not be empty.", nameof(data));
        }

        var seconds = duration.TotalSeconds;
        if (!(seconds > 0) || !double.IsFinite(seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration must be positive.");
        }

        Exception? lastError = null;
        for (var attempt = 0; attempt < _options.MaxSendAttempts; attempt++)
        {
            var session = await GetSessionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await session.Connection.SendFragmentAsync(seconds, data, cancellationToken).ConfigureAwait(false);
                session.SentFragment = true;
                Interlocked.Increment(ref _fragmentsSent);
                return;
            }
            catch (StreamConnectionException ex)
            {
                lastError = ex;
                Log.FragmentSendFailed(_logger, StreamId, ProtocolConnection.Describe(session.Connection.Url), ex.Message);
                OnSessionLost(session, ex);
            }
        }

        throw new StreamConnectionException($"The fragment could not be sent after {_options.MaxSendAttempts} attempts.", lastError);
    }

    /// <summary>Ends the stream: sends <c>CLOSE</c> and closes the connection. Idempotent.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        Session? session;
        Task<Session>? pending;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            session = _current;
            pending = _pending;
            _current = null;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (pending is not null)
        {
            // A reconnection in progress stops; there is no connection to send CLOSE on.
            await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (session is not null)
        {
            session.StopHeartbeat();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(CloseTimeout);
                await session.Connection.SendTextAsync(Messages.Close, timeout.Token).ConfigureAwait(false);
                await session.Connection.CloseOutputQuietlyAsync(CloseTimeout).ConfigureAwait(false);
                await session.ReadLoop.WaitAsync(CloseTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StreamConnectionException or OperationCanceledException or TimeoutException)
            {
            }
            finally
            {
                session.Dispose();
            }
        }

        Log.PublisherClosed(_logger, StreamId);
        SetState(StreamConnectionState.Closed, session?.Connection.Url, null);
    }

    /// <summary>Drops the connection without <c>CLOSE</c> (use <see cref="CloseAsync"/> to end the stream cleanly) and stops reconnecting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Session? session;
        Task<Session>? pending;
        lock (_gate)
        {
            if (_closed)
            {
                session = null;
                pending = null;
            }
            else
            {
                _closed = true;
                session = _current;
                pending = _pending;
                _current = null;
            }
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        session?.Dispose();
        if (session is not null)
        {
            await session.ReadLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (pending is not null)
        {
            await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (session is not null || pending is not null)
        {
            SetState(StreamConnectionState.Closed, null, null);
        }

        _lifetime.Dispose();
    }

    private async Task<Session> GetSessionAsync(CancellationToken cancellationToken)
    {
        Task<Session> pending;
        lock (_gate)
        {
            if (_fault is not null)
            {
                throw Rethrowable(_fault);
            }

            ObjectDisposedException.ThrowIf(_closed, this);
            if (_current is not null)
            {
                return _current;
            }

            pending = _pending ?? throw new InvalidOperationException("Not connected: call ConnectAsync first.");
        }

        return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Exception Rethrowable(Exception fault) => fault switch
    {
        StreamProtocolException p => new StreamProtocolException(p.Code, p.Message, p.IsRemote),
        _ => new StreamConnectionException(fault.Message, fault),
    };

    private bool Activate(Session session)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _current = session;
            _pending = null;
        }

        session.ReadLoop = Task.Run(() => ReadLoopAsync(session));
        session.Heartbeat = Task.Run(() => session.Connection.RunHeartbeatAsync(_options.HeartbeatInterval, session.HeartbeatStop.Token));
        Log.PublisherConnected(_logger, StreamId, ProtocolConnection.Describe(session.Connection.Url));
        SetState(StreamConnectionState.Connected, session.Connection.Url, null);
        return true;
    }

    private async Task ReadLoopAsync(Session session)
    {
        Exception error;
        try
        {
            while (true)
            {
                var incoming = await session.Connection.ReceiveAsync(_options.IdleTimeout, session.Stop.Token).ConfigureAwait(false);
                if (incoming.Kind == IncomingKind.Closed)
                {
                    error = new StreamConnectionException($"The node closed the connection ({incoming.CloseDescription}).");
                    break;
                }

                if (incoming.Kind == IncomingKind.Binary)
                {
                    error = new StreamProtocolException(ErrorCodes.ProtocolError, "The node sent a binary message to the publisher.");
                    break;
                }

                var message = incoming.Message!;
                if (message.Is(MessageTypes.Error))
                {
                    var remote = StreamProtocolException.FromErrorMessage(message);
                    if (IsTerminal(remote.Code))
                    {
                        SetFault(session, remote);
                        return;
                    }

                    error = remote;
                    break;
                }

                if (message.Is(MessageTypes.Close))
                {
                    error = new StreamConnectionException("The node sent CLOSE to the publisher.");
                    break;
                }

                if (!message.Is(MessageTypes.Heartbeat) && !message.Is(MessageTypes.Ok))
                {
                    Log.IgnoredMessage(_logger, message.Type);
                }
            }
        }
        catch (OperationCanceledException) when (session.Stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is StreamConnectionException or StreamProtocolException)
        {
            error = ex;
        }

        OnSessionLost(session, error);
    }

    private static bool IsTerminal(string code) => code is ErrorCodes.AuthError or ErrorCodes.PushError;

    private void OnSessionLost(Session session, Exception error)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current, session))
            {
                return;
            }

            _current = null;
            if (_closed || _fault is not null)
            {
                session.Dispose();
                return;
            }

            // The node that dropped us is suspect: the reconnection starts with the next URL.
            _urlIndex = (session.UrlIndex + 1) % _urls.Length;
            var healthy = session.SentFragment || Stopwatch.GetElapsedTime(session.Connection.Opened) >= HealthySessionAge;
            _pending = Task.Run(() => ReconnectAsync(healthy));
        }

        session.Dispose();
        Log.PublisherConnectionLost(_logger, StreamId, ProtocolConnection.Describe(session.Connection.Url), error.Message);
        SetState(StreamConnectionState.Reconnecting, session.Connection.Url, error);
    }

    private async Task<Session> ReconnectAsync(bool previousHealthy)
    {
        Session session;
        try
        {
            session = await ConnectAnyAsync(isReconnect: true, previousHealthy, _lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(StreamPublisher));
        }
        catch (Exception ex)
        {
            SetFault(null, ex);
            throw;
        }

        Interlocked.Increment(ref _reconnects);
        if (!Activate(session))
        {
            session.Dispose();
            throw new ObjectDisposedException(nameof(StreamPublisher));
        }

        return session;
    }

    private void SetFault(Session? session, Exception error)
    {
        lock (_gate)
        {
            if (_fault is not null || _closed)
            {
                return;
            }

            _fault = error;
            if (session is not null && ReferenceEquals(_current, session))
            {
                _current = null;
            }
        }

        session?.Dispose();
        Log.PublisherTerminal(_logger, StreamId, (error as StreamProtocolException)?.Code ?? "CONNECTION", error.Message);
        SetState(StreamConnectionState.Faulted, session?.Connection.Url, error);
    }

    private async Task<Session> ConnectAnyAsync(bool isReconnect, bool previousHealthy, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            if (isReconnect && (round > 0 || !previousHealthy))
            {
                var delay = _options.Backoff.GetDelay(Math.Max(0, previousHealthy ? round - 1 : round));
                Log.Backoff(_logger, StreamId, delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }

            var refused = 0;
            Exception? last = null;
            int start;
            lock (_gate)
            {
                start = _urlIndex;
            }

            for (var i = 0; i < _urls.Length; i++)
            {
                var index = (start + i) % _urls.Length;
                var url = _urls[index];
                try
                {
                    var session = await ConnectOnceAsync(url, cancellationToken).ConfigureAwait(false);
                    session.UrlIndex = index;
                    return session;
                }
                catch (StreamProtocolException ex) when (IsTerminal(ex.Code))
                {
                    throw;
                }
                catch (Exception ex) when (ex is StreamProtocolException or StreamConnectionException)
                {
                    if (ex is StreamProtocolException { Code: ErrorCodes.PushNotAllowed })
                    {
                        refused++;
                    }

                    last = ex;
                    Log.PublisherAttemptFailed(_logger, StreamId, ProtocolConnection.Describe(url), ex.Message);
                }
            }

            if (refused == _urls.Length)
            {
                throw new StreamProtocolException(ErrorCodes.PushNotAllowed, "Every node refused the PUSH (PUSH_NOT_ALLOWED).", isRemote: true);
            }

            if (!isReconnect)
            {
                throw last!;
            }

            if (_options.MaxReconnectAttempts is { } max && round + 1 >= max)
            {
                throw new StreamConnectionException($"Reconnection gave up after {round + 1} rounds over {_urls.Length} node(s).", last);
            }
        }
    }

    private async Task<Session> ConnectOnceAsync(Uri url, CancellationToken cancellationToken)
    {
        var connection = await ProtocolConnection.ConnectAsync(url, _options.WebSocketFactory, _options.ConnectTimeout, MaxIncomingBinaryBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            var token = _issuer?.Issue(StreamAccess.Push, StreamId, _options.TokenLifetime) ?? _options.Token;
            await connection.HandshakeAsync(Messages.Push(StreamId, token), _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            return new Session(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void SetState(StreamConnectionState state, Uri? url, Exception? error)
    {
        lock (_gate)
        {
            if (_state == StreamConnectionState.Faulted || (_state == StreamConnectionState.Closed && state != StreamConnectionState.Faulted))
            {
                return;
            }

            _state = state;
        }

        try
        {
            StateChanged?.Invoke(this, new StreamConnectionStateChangedEventArgs(state, url, error));
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, ex);
        }
    }

    private sealed class Session(ProtocolConnection connection) : IDisposable
    {
        private int _disposed;

        public ProtocolConnection Connection { get; } = connection;

        public CancellationTokenSource Stop { get; } = new();

        public Task ReadLoop { get; set; } = Task.CompletedTask;

        public Task Heartbeat { get; set; } = Task.CompletedTask;

        public bool SentFragment { get; set; }

        public int UrlIndex { get; set; }

        public CancellationTokenSource HeartbeatStop { get; } = new();

        /// <summary>Stops the heartbeat; the read loop keeps going until the close handshake or Dispose.</summary>
        public void StopHeartbeat() => HeartbeatStop.Cancel();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            // The token sources are not disposed: the loops may still read their tokens (they own no timer).
            HeartbeatStop.Cancel();
            Stop.Cancel();
            Connection.Dispose();
        }
    }
}
