using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace HlsCdn.Node.Connections;

/// <summary>
/// A connection feature that lets the HTTP/1.1 request which upgraded a plain (non-TLS) connection to a WebSocket
/// hand the connection to the node's WebSocket session: once the 101 answer is flushed, the request cuts itself off the
/// transport (<see cref="TryHandOff"/>), registers the session (<see cref="Continue"/>) and ends; Kestrel then lets
/// go of the request's objects (HTTP/1.1 parser state, headers, the request's context and pipeline) and
/// <see cref="ConnectionHandoffMiddleware"/> runs the session on the connection's own transport. An idle spectator
/// then costs its session and socket, not an HTTP request as well.
/// <para>As the HTTP side's transport (<see cref="IDuplexPipe"/>) it forwards to the connection's until the hand-off.</para>
/// </summary>
internal sealed class ConnectionHandoff : IDuplexPipe
{
    private readonly ConnectionContext _connection;
    private readonly HandoffPipeReader _input;
    private readonly HandoffPipeWriter _output;
    private readonly HandoffHeartbeatFeature? _heartbeat;
    private Func<Task>? _session;
    private int _handedOff;

    /// <param name="connection">The connection; its <see cref="ConnectionContext.Transport"/> is the one handed off.</param>
    /// <param name="heartbeat">The heartbeat the HTTP side registers its timeouts with; null when the server has none.</param>
    public ConnectionHandoff(ConnectionContext connection, HandoffHeartbeatFeature? heartbeat)
    {
        _connection = connection;
        Transport = connection.Transport;
        _input = new HandoffPipeReader(Transport.Input);
        _output = new HandoffPipeWriter(Transport.Output);
        _heartbeat = heartbeat;
        Abort = connection.Abort;
    }

    /// <summary>The connection's own transport, which the session reads and writes after the hand-off.</summary>
    public IDuplexPipe Transport { get; }

    /// <summary>Fires when the connection closes (the peer left or it was aborted).</summary>
    public CancellationToken ConnectionClosed => _connection.ConnectionClosed;

    /// <summary>Drops the connection at once.</summary>
    public Action Abort { get; }

    /// <summary>Whether the HTTP side has let go of the connection.</summary>
    public bool IsHandedOff => Volatile.Read(ref _handedOff) != 0;

    PipeReader IDuplexPipe.Input => _input;

    PipeWriter IDuplexPipe.Output => _output;

    /// <summary>Cuts the HTTP side off the transport; call once the 101 answer is flushed. False when already done.</summary>
    public bool TryHandOff()
    {
        if (Interlocked.Exchange(ref _handedOff, 1) != 0)
        {
            return false;
        }

        _input.HandOff();
        _output.HandOff();
        _heartbeat?.HandOff();
        return true;
    }

    /// <summary>The session to run on the connection once the HTTP request has ended.</summary>
    public void Continue(Func<Task> session)
    {
        if (!IsHandedOff)
        {
            throw new InvalidOperationException("The connection has not been handed off.");
        }

        if (Interlocked.CompareExchange(ref _session, session, null) is not null)
        {
            throw new InvalidOperationException("The connection already has a session.");
        }
    }

    /// <summary>Takes the session registered with <see cref="Continue"/>, if any.</summary>
    public Func<Task>? TakeSession() => Interlocked.Exchange(ref _session, null);
}
