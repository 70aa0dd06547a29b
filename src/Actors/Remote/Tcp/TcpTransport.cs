using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Decentral.Actors;

/// <summary>
/// Moves envelopes between processes over TCP. Every system bound here listens on its address's host
/// and port; a send to another address goes through that link's bounded, superseding queue and the one
/// connection per pair of systems (local system, peer system), which carries both directions: dialed
/// lazily by whichever side sends first (a simultaneous dial settles on one connection), re-dialed with
/// exponential backoff, kept alive with heartbeats and closed when the peer falls silent for the idle
/// timeout. Connections are authenticated both ways with a challenge-response handshake over a shared
/// secret, and every frame carries a sequence number and an HMAC-SHA256 under a per-connection key.
/// Bad input (garbage, an oversized or truncated frame, a wrong secret, a replay) closes the offending
/// connection and is counted in <see cref="Counters"/>; nothing a peer sends can stop the process.
/// Wrap it in a <see cref="FailureInjectorTransport"/> for faults, as with the in-memory transport.
/// </summary>
public sealed class TcpTransport : ITransport, IAsyncDisposable, IDisposable
{
    private const int MaxRetiredIncarnations = 16;

    private readonly ConcurrentDictionary<Address, TcpListenerLoop> _listeners = new();
    private readonly ConcurrentDictionary<(Address Local, Address Remote), PeerLink> _links = new();
    private readonly ConcurrentDictionary<InboundConnection, Task> _inbound = new();
    private readonly Dictionary<Address, PeerRecord> _peers = [];
    private readonly RateLimitedLog _rejectionLog;
    private readonly RateLimitedLog _badMessageLog;
    private readonly ITimer _heartbeat;
    private volatile bool _disposed;

    public TcpTransport(IMessageSerializer serializer, TcpTransportSettings settings, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Serializer = serializer;
        Settings = settings;
        Time = time ?? TimeProvider.System;
        Log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Decentral.Actors.TcpTransport");
        _rejectionLog = new RateLimitedLog(Time, TimeSpan.FromSeconds(5));
        _badMessageLog = new RateLimitedLog(Time, TimeSpan.FromSeconds(5));
        var tick = settings.HeartbeatInterval / 2;
        _heartbeat = Time.CreateTimer(static state => ((TcpTransport)state!).Tick(), this, tick, tick);
    }

    public TcpTransportSettings Settings { get; }

    public IMessageSerializer Serializer { get; }

    /// <summary>This process's incarnation (random per start), sent in every handshake.</summary>
    public ulong Incarnation => Settings.Incarnation;

    public TcpTransportCounters Counters => CounterSet.Snapshot();

    /// <summary>Every link used so far (sent on, or connected to by the peer) and its state.</summary>
    public IReadOnlyList<TcpLinkStatus> Links => [.. _links.Values.Select(l => l.Status).OrderBy(s => s.From.ToString(), StringComparer.Ordinal).ThenBy(s => s.To.ToString(), StringComparer.Ordinal)];

    /// <summary>Authenticated inbound connections now open.</summary>
    public IReadOnlyList<TcpInboundStatus> InboundConnections => [.. _inbound.Keys.Select(c => c.Status).OfType<TcpInboundStatus>()];

    /// <summary>Addresses bound (listening) here.</summary>
    public IReadOnlyList<Address> BoundAddresses => [.. _listeners.Keys];

    internal TcpCounterSet CounterSet { get; } = new();

    internal TimeProvider Time { get; }

    internal ILogger Log { get; }

    /// <summary>Listens on <paramref name="address"/> (it needs a host and a port).</summary>
    /// <exception cref="TransportBindException">The port is in use, or the host is not this machine's.</exception>
    public void Bind(Address address, Action<TransportEnvelope> inbound)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(inbound);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (address.Host is null || address.Port is null)
        {
            throw new ArgumentException($"The TCP transport needs an address with host and port (dct://name@host:port), not {address}.", nameof(address));
        }

        if (_listeners.ContainsKey(address))
        {
            throw new ArgumentException($"Address {address} is already bound on this transport.", nameof(address));
        }

        var listener = TcpListenerLoop.Start(this, address, inbound);
        if (!_listeners.TryAdd(address, listener))
        {
            _ = listener.StopAsync();
            throw new ArgumentException($"Address {address} is already bound on this transport.", nameof(address));
        }

        Log.LogInformation("Listening on {Address} (incarnation {Incarnation:x16})", address, Incarnation);
    }

    /// <summary>Stops listening on <paramref name="address"/>, closes its connections and drops what it had queued.</summary>
    public void Unbind(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_listeners.TryRemove(address, out var listener))
        {
            _ = listener.StopAsync();
        }

        foreach (var connection in _inbound.Keys.Where(c => c.Local == address))
        {
            connection.Close();
        }

        foreach (var key in _links.Keys.Where(k => k.Local == address))
        {
            if (_links.TryRemove(key, out var link))
            {
                _ = link.CloseAsync();
            }
        }
    }

    /// <summary>Queues the envelope on its link; never blocks and never throws for an unreachable peer.</summary>
    public void Send(TransportEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (_disposed)
        {
            return;
        }

        if (envelope.To.Host is null || envelope.To.Port is null)
        {
            CountSendFailure(envelope, $"{envelope.To} has no host and port");
            return;
        }

        Link(envelope.From, envelope.To).Enqueue(envelope);
    }

    /// <summary>The local endpoint a bound address listens on (its port, when the address asked for port 0).</summary>
    public IPEndPoint? ListeningEndPoint(Address address) => _listeners.TryGetValue(address, out var l) ? l.LocalEndPoint : null;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _heartbeat.DisposeAsync().ConfigureAwait(false);
        var stops = new List<Task>();
        stops.AddRange(_listeners.Values.Select(l => l.StopAsync()));
        _listeners.Clear();
        stops.AddRange(_links.Values.Select(l => l.CloseAsync()));
        _links.Clear();
        foreach (var connection in _inbound.Keys)
        {
            connection.Close();
        }

        stops.AddRange(_inbound.Values);
        await Task.WhenAll(stops).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Hands an accepted, authenticated connection to its pair's link; false when the local address is no longer bound.</summary>
    internal bool AttachAccepted(PeerConnection connection)
    {
        return !_disposed && _listeners.ContainsKey(connection.Local) && Link(connection.Local, connection.Remote).Attach(connection);
    }

    /// <summary>Hands an envelope read from a connection to the system bound at <paramref name="local"/>.</summary>
    internal void Deliver(Address local, TransportEnvelope envelope)
    {
        if (_listeners.TryGetValue(local, out var listener))
        {
            listener.Deliver(envelope);
        }
        else
        {
            Interlocked.Increment(ref CounterSet.Undeliverable);
        }
    }

    internal void StartInbound(TcpListenerLoop listener, Socket socket, CancellationToken stop)
    {
        if (_inbound.Count >= Settings.MaxInboundConnections || _disposed)
        {
            Interlocked.Increment(ref CounterSet.ConnectionLimitRejects);
            socket.Dispose();
            return;
        }

        var connection = new InboundConnection(this, listener, socket);
        var run = new TaskCompletionSource();
        _inbound[connection] = run.Task;
        _ = Task.Run(async () =>
        {
            try
            {
                await connection.RunAsync(stop).ConfigureAwait(false);
            }
            finally
            {
                run.TrySetResult();
            }
        }, CancellationToken.None);
    }

    internal void RemoveInbound(InboundConnection connection)
    {
        _inbound.TryRemove(connection, out _);
        if (connection.Peer is { } peer)
        {
            lock (_peers)
            {
                if (_peers.TryGetValue(peer, out var record))
                {
                    record.Connections.Remove(connection);
                }
            }
        }
    }

    /// <summary>
    /// Admits an authenticated caller unless its incarnation was retired (a replay of a process that has
    /// since restarted). A new incarnation retires the previous one and closes its connections; a new
    /// connection from the same caller to the same system replaces the old (its dialer gave it up).
    /// </summary>
    internal bool AdmitInbound(InboundConnection connection, Address peer, ulong incarnation)
    {
        List<InboundConnection> stale = [];
        lock (_peers)
        {
            if (!_peers.TryGetValue(peer, out var record))
            {
                record = new PeerRecord();
                _peers[peer] = record;
            }

            if (record.Retired.Contains(incarnation))
            {
                return false;
            }

            if (record.Current != 0 && record.Current != incarnation)
            {
                record.Retired.Enqueue(record.Current);
                if (record.Retired.Count > MaxRetiredIncarnations)
                {
                    record.Retired.Dequeue();
                }

                stale.AddRange(record.Connections);
                record.Connections.Clear();
                Log.LogInformation("{Peer} restarted: incarnation {Old:x16} → {New:x16}", peer, record.Current, incarnation);
            }
            else
            {
                stale.AddRange(record.Connections.Where(c => c.Local == connection.Local));
                record.Connections.RemoveAll(c => c.Local == connection.Local);
            }

            record.Current = incarnation;
            record.Connections.Add(connection);
        }

        foreach (var old in stale)
        {
            old.Close();
        }

        return true;
    }

    internal void CountSendFailure(TransportEnvelope envelope, string reason)
    {
        Interlocked.Increment(ref CounterSet.SendFailures);
        if (_badMessageLog.ShouldLog(out var suppressed))
        {
            Log.LogWarning("Not sent: {Message} to {Recipient}: {Reason} ({Suppressed} similar suppressed)",
                envelope.Message.GetType().Name, envelope.Recipient, reason, suppressed);
        }
    }

    internal void LogRejection(EndPoint? remote, Address? claimed, FrameStatus status)
    {
        if (status != FrameStatus.Closed && _rejectionLog.ShouldLog(out var suppressed))
        {
            Log.LogWarning("Closed the connection from {Remote} ({Claimed}): {Reason} ({Suppressed} more since the last report)",
                remote, claimed?.ToString() ?? "not authenticated", Describe(status), suppressed);
        }
    }

    internal void LogBadMessage(Address peer, string error)
    {
        if (_badMessageLog.ShouldLog(out var suppressed))
        {
            Log.LogWarning("Dropped a message from {Peer}: {Error} ({Suppressed} more since the last report)", peer, error, suppressed);
        }
    }

    private PeerLink Link(Address local, Address remote) =>
        _links.GetOrAdd((local, remote), static (key, transport) => new PeerLink(transport, key.Local, key.Remote), this);

    private void Tick()
    {
        foreach (var link in _links.Values)
        {
            link.Tick();
        }
    }

    private static string Describe(FrameStatus status) => status switch
    {
        FrameStatus.Oversized => "length prefix above the maximum frame size",
        FrameStatus.Truncated => "the stream ended inside a frame",
        FrameStatus.Malformed => "not a frame this connection expects (garbage?)",
        FrameStatus.BadMac => "MAC does not verify (wrong secret or altered bytes)",
        FrameStatus.Replayed => "replayed frame (sequence, challenge or retired incarnation)",
        FrameStatus.UnknownPeer => "unknown or not allowed peer address",
        FrameStatus.TimedOut => "no handshake within the timeout",
        _ => status.ToString(),
    };

    private sealed class PeerRecord
    {
        public ulong Current { get; set; }

        public Queue<ulong> Retired { get; } = new();

        public List<InboundConnection> Connections { get; } = [];
    }
}
