using System.Diagnostics;
using System.Runtime.CompilerServices;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HlsCdn.Client;

/// <summary>
/// Pulls one stream from a node: <c>PULL</c>, <c>OK</c>, then each <c>F:duration=D</c> + binary as a
/// <see cref="ReceivedFragment"/> until <c>CLOSE</c>. Validates what it receives and sends <c>H</c> when idle.
/// </summary>
/// <remarks>
/// <see cref="ReadFragmentsAsync"/> may be enumerated once. It completes normally when the node sends <c>CLOSE</c>
/// (the stream ended, or was never found: <c>OK</c> + <c>CLOSE</c>), throws <see cref="StreamProtocolException"/> on
/// <c>E</c> or a protocol violation, and on a dropped connection either reconnects
/// (<see cref="StreamSpectatorOptions.Reconnect"/>) or throws <see cref="StreamConnectionException"/>.
/// The first connection is not retried: failing to connect throws at once. (Formerly <c>StreamSubscriber</c>, kept as an
/// obsolete subclass; not meant to be derived from otherwise.)
/// </remarks>
public class StreamSpectator : IAsyncDisposable
{
    private static readonly TimeSpan HealthySessionAge = TimeSpan.FromSeconds(10);

    private readonly StreamSpectatorOptions _options;
    private readonly ILogger _logger;
    private readonly StreamTokenIssuer? _issuer;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();
    private ProtocolConnection? _connection;
    private CancellationTokenSource? _heartbeatStop;
    private double? _pendingDuration;
    private bool _hasConnected;
    private bool _lastSessionHealthy;
    private bool _sessionGotFragment;
    private int _enumerating;
    private int _disposed;
    private StreamConnectionState _state;
    private SpectatorEndReason _endReason;
    private long _fragmentsReceived;
    private int _reconnects;

    /// <summary>Creates a spectator; nothing happens until <see cref="ReadFragmentsAsync"/> is enumerated.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public StreamSpectator(StreamSpectatorOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        if (!string.IsNullOrEmpty(options.PullSecret))
        {
            _issuer = new StreamTokenIssuer(options.PullSecret);
        }
    }

    /// <summary>Raised on every state change (on the enumerating thread; keep handlers short).</summary>
    public event EventHandler<StreamConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>The stream being pulled.</summary>
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

    /// <summary>Why the enumeration ended (<see cref="SpectatorEndReason.None"/> while it runs).</summary>
    public SpectatorEndReason EndReason
    {
        get
        {
            lock (_gate)
            {
                return _endReason;
            }
        }
    }

    /// <summary>Whether the node sent <c>CLOSE</c>: the stream ended (or did not exist).</summary>
    public bool Ended => EndReason == SpectatorEndReason.StreamClosed;

    /// <summary>Fragments received so far.</summary>
    public long FragmentsReceived => Interlocked.Read(ref _fragmentsReceived);

    /// <summary>How many times the spectator reconnected after losing its connection.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Connects, pulls the stream and yields its fragments in order until the stream ends.</summary>
    /// <exception cref="StreamProtocolException">The node sent <c>E</c> (e.g. <c>AUTH_ERROR</c>) or violated the protocol.</exception>
    /// <exception cref="StreamConnectionException">The connection failed and is not (or no longer) re-established.</exception>
    /// <exception cref="InvalidOperationException">Enumerated a second time.</exception>
    public async IAsyncEnumerable<ReceivedFragment> ReadFragmentsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _enumerating, 1) != 0)
        {
            throw new InvalidOperationException("ReadFragmentsAsync can be enumerated only once per spectator.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        try
        {
            while (true)
            {
                var next = await NextAsync(linked.Token).ConfigureAwait(false);
                if (next is not { } fragment)
                {
                    yield break;
                }

                yield return fragment;
            }
        }
        finally
        {
            DropConnection();
            End(SpectatorEndReason.Cancelled, null);
        }
    }

    /// <summary>Stops the spectator: cancels a running enumeration and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        DropConnection();
        GC.SuppressFinalize(this);
    }

    private async Task<ReceivedFragment?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = Volatile.Read(ref _connection) ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
            Incoming incoming;
            try
            {
                incoming = await connection.ReceiveAsync(_options.IdleTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (StreamConnectionException ex) when (!cancellationToken.IsCancellationRequested)
            {
                HandleDrop(connection, ex);
                continue;
            }
            catch (StreamProtocolException ex)
            {
                throw await FailAsync(connection, ex).ConfigureAwait(false);
            }

            switch (incoming.Kind)
            {
                case IncomingKind.Closed:
                    HandleDrop(connection, new StreamConnectionException($"The node closed the connection without CLOSE ({incoming.CloseDescription})."));
                    continue;

                case IncomingKind.Binary:
                    if (_pendingDuration is not { } seconds)
                    {
                        throw await FailAsync(connection, new StreamProtocolException(ErrorCodes.ProtocolError, "Binary message without a preceding F message.")).ConfigureAwait(false);
                    }

                    if (incoming.Binary.IsEmpty)
                    {
                        throw await FailAsync(connection, new StreamProtocolException(ErrorCodes.ProtocolError, "Empty binary message.")).ConfigureAwait(false);
                    }

                    _pendingDuration = null;
                    _sessionGotFragment = true;
                    Interlocked.Increment(ref _fragmentsReceived);
                    return new ReceivedFragment(incoming.Binary.ToArray(), TimeSpan.FromSeconds(seconds));
            }

            var message = incoming.Message!;
            if (message.Is(MessageTypes.Fragment))
            {
                if (_pendingDuration is not null)
                {
                    throw await FailAsync(connection, new StreamProtocolException(ErrorCodes.ProtocolError, "F message while a fragment was already announced.")).ConfigureAwait(false);
                }

                if (!ProtocolMessage.TryParseDuration(message.Get(MessageParameters.Duration), out var duration))
                {
                    throw await FailAsync(connection, new StreamProtocolException(ErrorCodes.FragmentMetadataError, "F message without a valid positive duration.")).ConfigureAwait(false);
                }

                _pendingDuration = duration;
            }
            else if (message.Is(MessageTypes.Close))
            {
                Log.SpectatorStreamEnded(_logger, StreamId);
                End(SpectatorEndReason.StreamClosed, null);
                await connection.CloseOutputQuietlyAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                DropConnection();
                return null;
            }
            else if (message.Is(MessageTypes.Error))
            {
                var error = StreamProtocolException.FromErrorMessage(message);
                if (error.Code == ErrorCodes.NodeShutdown && _options.Reconnect)
                {
                    HandleDrop(connection, new StreamConnectionException($"The node is shutting down: {error.Message}", error));
                    continue;
                }

                Log.SpectatorError(_logger, StreamId, error.Code, error.Message);
                End(SpectatorEndReason.ProtocolError, error);
                DropConnection();
                throw error;
            }
            else if (!message.Is(MessageTypes.Heartbeat) && !message.Is(MessageTypes.Ok))
            {
                Log.IgnoredMessage(_logger, message.Type);
            }
        }
    }

    private async Task<ProtocolConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var isReconnect = _hasConnected;
        SetState(isReconnect ? StreamConnectionState.Reconnecting : StreamConnectionState.Connecting, null);
        for (var attempt = 0; ; attempt++)
        {
            if (isReconnect && (attempt > 0 || !_lastSessionHealthy))
            {
                await Task.Delay(_options.Backoff.GetDelay(_lastSessionHealthy ? attempt - 1 : attempt), cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var connection = await OpenAsync(isReconnect, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _connection, connection);
                if (Volatile.Read(ref _disposed) != 0)
                {
                    DropConnection();
                    throw new OperationCanceledException(cancellationToken);
                }

                var heartbeatStop = new CancellationTokenSource();
                _heartbeatStop = heartbeatStop;
                _ = Task.Run(() => connection.RunHeartbeatAsync(_options.HeartbeatInterval, heartbeatStop.Token), CancellationToken.None);
                _hasConnected = true;
                _sessionGotFragment = false;
                if (isReconnect)
                {
                    Interlocked.Increment(ref _reconnects);
                }

                Log.SpectatorConnected(_logger, StreamId, ProtocolConnection.Describe(_options.Url));
                SetState(StreamConnectionState.Connected, null);
                return connection;
            }
            catch (StreamProtocolException ex) when (!(ex.Code == ErrorCodes.NodeShutdown && isReconnect && _options.Reconnect))
            {
                Log.SpectatorError(_logger, StreamId, ex.Code, ex.Message);
                End(SpectatorEndReason.ProtocolError, ex);
                throw;
            }
            catch (Exception ex) when (ex is StreamConnectionException or StreamProtocolException && !cancellationToken.IsCancellationRequested)
            {
                Log.SpectatorConnectionLost(_logger, StreamId, ProtocolConnection.Describe(_options.Url), ex.Message);
                if (!isReconnect || !_options.Reconnect)
                {
                    End(SpectatorEndReason.ConnectionLost, ex);
                    throw;
                }

                if (_options.MaxReconnectAttempts is { } max && attempt + 1 >= max)
                {
                    var gaveUp = new StreamConnectionException($"Reconnection gave up after {attempt + 1} attempts.", ex);
                    End(SpectatorEndReason.ConnectionLost, gaveUp);
                    throw gaveUp;
                }
            }
        }
    }

    private async Task<ProtocolConnection> OpenAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        var connection = await ProtocolConnection.ConnectAsync(_options.Url, _options.WebSocketFactory, _options.ConnectTimeout, _options.MaxFragmentBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            var token = _issuer?.Issue(StreamAccess.Pull, StreamId, _options.TokenLifetime) ?? _options.Token;
            var maxInitial = isReconnect ? _options.MaxInitialFragmentsOnReconnect ?? _options.MaxInitialFragments : _options.MaxInitialFragments;
            var request = Messages.Pull(StreamId, token, _options.OnlySource, maxInitial);
            await connection.HandshakeAsync(request, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            _pendingDuration = null;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void HandleDrop(ProtocolConnection connection, StreamConnectionException error)
    {
        Log.SpectatorConnectionLost(_logger, StreamId, ProtocolConnection.Describe(connection.Url), error.Message);
        _lastSessionHealthy = _sessionGotFragment || Stopwatch.GetElapsedTime(connection.Opened) >= HealthySessionAge;
        DropConnection();
        _pendingDuration = null;
        if (!_options.Reconnect)
        {
            End(SpectatorEndReason.ConnectionLost, error);
            throw error;
        }

        SetState(StreamConnectionState.Reconnecting, error);
    }

    private async Task<StreamProtocolException> FailAsync(ProtocolConnection connection, StreamProtocolException error)
    {
        Log.SpectatorError(_logger, StreamId, error.Code, error.Message);
        End(SpectatorEndReason.ProtocolError, error);
        await connection.SendErrorAndCloseAsync(error.Code, error.Message).ConfigureAwait(false);
        DropConnection();
        return error;
    }

    private void DropConnection()
    {
        var heartbeatStop = Interlocked.Exchange(ref _heartbeatStop, null);
        heartbeatStop?.Cancel();
        Interlocked.Exchange(ref _connection, null)?.Dispose();
    }

    private void End(SpectatorEndReason reason, Exception? error)
    {
        lock (_gate)
        {
            if (_endReason != SpectatorEndReason.None)
            {
                return;
            }

            _endReason = reason;
        }

        SetState(reason is SpectatorEndReason.StreamClosed or SpectatorEndReason.Cancelled ? StreamConnectionState.Closed : StreamConnectionState.Faulted, error);
    }

    private void SetState(StreamConnectionState state, Exception? error)
    {
        lock (_gate)
        {
            if (_state == state || _state is StreamConnectionState.Closed or StreamConnectionState.Faulted)
            {
                return;
            }

            _state = state;
        }

        try
        {
            StateChanged?.Invoke(this, new StreamConnectionStateChangedEventArgs(state, _options.Url, error));
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, ex);
        }
    }
}
