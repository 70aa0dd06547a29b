using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>
/// The link between a system bound here (<see cref="Local"/>) and a peer system (<see cref="Remote"/>):
/// the bounded send queue (superseding while the link is down) and the one connection that carries
/// both directions. The connection is dialed from whichever side first has something to send; a
/// connection the peer dialed is attached here instead. When both sides dial at the same moment, both
/// keep the connection <see cref="PeerConnection.Prefers"/> picks and the loser's dialer closes it.
/// Only this link's loop writes, so the link is FIFO (up to superseding) with at-most-once delivery:
/// frames in flight when a connection breaks are lost, as on any network, and the protocol resends.
/// The loop also sends a heartbeat on a connection idle for <see cref="TcpTransportSettings.HeartbeatInterval"/>
/// and closes one on which nothing arrived for <see cref="TcpTransportSettings.IdleTimeout"/>.
/// </summary>
internal sealed class PeerLink
{
    /// <summary>Flush after this many buffered bytes even if more messages wait (bounds the write buffer).</summary>
    private const int FlushThresholdBytes = 256 * 1024;

    private readonly TcpTransport _transport;
    private readonly SupersedingQueue _queue;
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<PeerConnection> _attached = [];
    private TaskCompletionSource _attachedWake = NewWake();
    private CancellationTokenSource? _dial;
    private Task? _loop;
    private volatile PeerConnection? _current;
    private volatile TcpLinkState _state = TcpLinkState.Idle;
    private volatile string? _lastError;
    private long _framesSent;
    private int _failedAttempts;
    private long _peerIncarnation;

    public PeerLink(TcpTransport transport, Address local, Address remote)
    {
        _transport = transport;
        Local = local;
        Remote = remote;
        _queue = new SupersedingQueue(transport.Settings.SendQueueCapacity);
    }

    public Address Local { get; }

    public Address Remote { get; }

    public TcpLinkStatus Status
    {
        get
        {
            int open;
            lock (_gate)
            {
                open = _attached.Count(c => !c.IsBroken);
            }

            var incarnation = (ulong)Interlocked.Read(ref _peerIncarnation);
            return new TcpLinkStatus(
                Local, Remote, _state, _queue.Count, Interlocked.Read(ref _framesSent), Volatile.Read(ref _failedAttempts),
                incarnation == 0 ? null : incarnation, _lastError)
            {
                OpenConnections = open,
                DialedHere = _current?.DialedHere,
            };
        }
    }

    public void Enqueue(TransportEnvelope envelope)
    {
        var counters = _transport.CounterSet;
        switch (_queue.Enqueue(envelope, supersede: _state != TcpLinkState.Connected))
        {
            case EnqueueOutcome.Replaced:
                Interlocked.Increment(ref counters.Superseded);
                break;
            case EnqueueOutcome.QueuedDroppedOldest:
                Interlocked.Increment(ref counters.QueueOverflows);
                break;
        }

        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                _queue.Clear();
                return;
            }

            _loop ??= Task.Run(RunAsync);
        }

        Ring();
    }

    /// <summary>
    /// Adds a connection (dialed here or accepted) to the link; it becomes the one written to unless the
    /// current one is preferred. False when the link is closed (the caller disposes the connection).
    /// </summary>
    public bool Attach(PeerConnection connection)
    {
        TaskCompletionSource wake;
        CancellationTokenSource? abandon = null;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return false;
            }

            // The peer restarted: its old incarnation's connections are dead even if no socket said so yet.
            foreach (var old in _attached)
            {
                if (old.PeerIncarnation != connection.PeerIncarnation)
                {
                    old.MarkBroken();
                }
            }

            _attached.Add(connection);
            var current = _current;
            if (current is null || current.IsBroken || PeerConnection.Prefers(connection, current))
            {
                _current = connection;
                _state = TcpLinkState.Connected;
                Interlocked.Exchange(ref _peerIncarnation, (long)connection.PeerIncarnation);
            }

            // A dial in progress that would lose to this connection anyway is abandoned, so the link
            // carries what waits now instead of after the dial.
            if (_dial is { } dial && !connection.DialedHere && PeerConnection.PrefersDialer(connection.Dialer, Local))
            {
                abandon = dial;
            }

            _loop ??= Task.Run(RunAsync);
            wake = _attachedWake;
            _attachedWake = NewWake();
        }

        // Outside the lock: cancelling may run the dialing loop's continuation on this thread.
        try
        {
            abandon?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The dial ended meanwhile.
        }

        wake.TrySetResult();
        Ring();
        return true;
    }

    /// <summary>The transport's heartbeat tick: wakes the loop of a link with a connection so it can send a heartbeat or notice silence.</summary>
    public void Tick()
    {
        if (_current is not null)
        {
            Ring();
        }
    }

    /// <summary>Stops the loop, drops what is queued and closes the connections; waits (bounded) for the loop.</summary>
    public async Task CloseAsync()
    {
        Task? loop;
        lock (_gate)
        {
            _stop.Cancel();
            loop = _loop;
        }

        _queue.Clear();
        _state = TcpLinkState.Closed;
        if (loop is not null)
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        DisposeAll();
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Ring() => _doorbell.Writer.TryWrite(true);

    private async Task RunAsync()
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var current = Maintain();
                if (current is not null)
                {
                    if (_queue.Count > 0)
                    {
                        await SendAsync(current, heartbeat: false, token).ConfigureAwait(false);
                        continue;
                    }

                    if (current.SinceLastSent >= _transport.Settings.HeartbeatInterval)
                    {
                        await SendAsync(current, heartbeat: true, token).ConfigureAwait(false);
                    }

                    await _doorbell.Reader.ReadAsync(token).ConfigureAwait(false);
                    continue;
                }

                if (_queue.Count == 0)
                {
                    await _doorbell.Reader.ReadAsync(token).ConfigureAwait(false);
                    continue;
                }

                Task woken;
                lock (_gate)
                {
                    woken = _attachedWake.Task;
                }

                var dialed = await ConnectAsync(token).ConfigureAwait(false);
                if (dialed is not null)
                {
                    if (!Attach(dialed))
                    {
                        dialed.Dispose();
                    }

                    continue;
                }

                if (_current is null)
                {
                    // Back off, unless the peer's own connection arrives meanwhile.
                    _state = TcpLinkState.Backoff;
                    await Task.WhenAny(Task.Delay(BackoffDelay(), _transport.Time, token), woken).ConfigureAwait(false);
                    token.ThrowIfCancellationRequested();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closed by Unbind or Dispose.
        }
        catch (ChannelClosedException)
        {
        }
        finally
        {
            DisposeAll();
            _state = TcpLinkState.Closed;
        }
    }

    /// <summary>
    /// Drops broken connections, closes silent ones (idle timeout) and this side's redundant dials,
    /// and returns the connection to write to (null when there is none).
    /// </summary>
    private PeerConnection? Maintain()
    {
        List<PeerConnection>? dispose = null;
        var lostCurrent = false;
        PeerConnection? result;
        lock (_gate)
        {
            for (var i = _attached.Count - 1; i >= 0; i--)
            {
                var c = _attached[i];
                var silent = c.SinceLastReceived;
                if (!c.IsBroken && silent > _transport.Settings.IdleTimeout)
                {
                    Interlocked.Increment(ref _transport.CounterSet.IdleTimeouts);
                    _lastError = $"nothing arrived for {silent.TotalSeconds:0.#} s (idle timeout)";
                    _transport.Log.LogWarning("Closing the connection {Local} ↔ {Remote}: {Reason}", Local, Remote, _lastError);
                    c.MarkBroken();
                }

                if (c.IsBroken)
                {
                    _attached.RemoveAt(i);
                    (dispose ??= []).Add(c);
                    if (c == _current)
                    {
                        _current = null;
                        lostCurrent = true;
                    }
                }
            }

            if (_current is null && _attached.Count > 0)
            {
                _current = _attached.Aggregate((best, c) => PeerConnection.Prefers(c, best) ? c : best);
            }

            // A connection dialed here that lost to the current one: closing it is this side's job
            // (the other side keeps reading it until then, so nothing written on it is lost).
            for (var i = _attached.Count - 1; i >= 0; i--)
            {
                var c = _attached[i];
                if (c != _current && c.DialedHere)
                {
                    _attached.RemoveAt(i);
                    (dispose ??= []).Add(c);
                }
            }

            result = _current;
            if (result is not null)
            {
                _state = TcpLinkState.Connected;
            }
            else if (lostCurrent)
            {
                _state = TcpLinkState.Idle;
            }
        }

        if (lostCurrent)
        {
            Interlocked.Increment(ref _transport.CounterSet.Disconnects);
            _transport.Log.LogInformation("Disconnected {Local} ↔ {Remote}", Local, Remote);
        }

        foreach (var c in dispose ?? [])
        {
            c.Dispose();
        }

        return result;
    }

    /// <summary>Writes the queued messages in batches, or one heartbeat; a failed write marks the connection broken.</summary>
    private async Task SendAsync(PeerConnection peer, bool heartbeat, CancellationToken token)
    {
        var connection = peer.Connection;
        if (!connection.TryBeginWrite())
        {
            peer.MarkBroken();
            return;
        }

        try
        {
            if (heartbeat)
            {
                connection.BeginFrame(FrameKind.Heartbeat);
                connection.EndFrame(FrameFormat.MaxHandshakeBodyBytes);
            }
            else
            {
                await WriteQueuedAsync(connection, token).ConfigureAwait(false);
            }

            await connection.FlushAsync(token).ConfigureAwait(false);
            peer.NoteSent();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _lastError = e.Message;
            peer.MarkBroken();
        }
        finally
        {
            connection.EndWrite();
        }
    }

    private async Task WriteQueuedAsync(FrameConnection connection, CancellationToken token)
    {
        var settings = _transport.Settings;
        while (_queue.TryDequeue(out var envelope))
        {
            var output = connection.BeginFrame(FrameKind.Data);
            try
            {
                EnvelopeFormat.Write(output, envelope, _transport.Serializer);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                connection.AbortFrame();
                _transport.CountSendFailure(envelope, e.Message);
                continue;
            }

            if (!connection.EndFrame(settings.MaxFrameBytes))
            {
                _transport.CountSendFailure(envelope, $"the frame would exceed the maximum frame size of {settings.MaxFrameBytes} bytes");
                continue;
            }

            Interlocked.Increment(ref _framesSent);
            if (connection.PendingBytes >= FlushThresholdBytes)
            {
                await connection.FlushAsync(token).ConfigureAwait(false);
            }
        }
    }

    private void DisposeAll()
    {
        List<PeerConnection> all;
        lock (_gate)
        {
            all = [.. _attached];
            _attached.Clear();
            _current = null;
        }

        foreach (var c in all)
        {
            c.Dispose();
        }
    }

    private TimeSpan BackoffDelay()
    {
        var settings = _transport.Settings;
        var attempts = Math.Min(Volatile.Read(ref _failedAttempts), 30);
        var delay = settings.ReconnectMinDelay * Math.Pow(2, Math.Max(0, attempts - 1));
        return delay > settings.ReconnectMaxDelay ? settings.ReconnectMaxDelay : delay;
    }

    private async Task<PeerConnection?> ConnectAsync(CancellationToken token)
    {
        _state = TcpLinkState.Connecting;
        var settings = _transport.Settings;
        Socket? socket = null;
        FrameConnection? connection = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(settings.ConnectTimeout + settings.HandshakeTimeout);
        lock (_gate)
        {
            _dial = timeout;
        }

        try
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(Remote.Host!, Remote.Port!.Value, timeout.Token).ConfigureAwait(false);
            connection = new FrameConnection(socket, settings.Secret, FrameFormat.ChallengeKey, _transport.CounterSet);
            socket = null;
            var (failure, incarnation) = await DialerHandshake.RunAsync(connection, Local, Remote, settings, _transport.CounterSet, timeout.Token).ConfigureAwait(false);
            if (failure is not null)
            {
                Fail(failure);
                connection.Dispose();
                return null;
            }

            Interlocked.Increment(ref _transport.CounterSet.ConnectionsDialed);
            Volatile.Write(ref _failedAttempts, 0);
            _lastError = null;
            _transport.Log.LogInformation("Connected {Local} → {Remote} (peer incarnation {Incarnation:x16})", Local, Remote, incarnation);
            var peer = new PeerConnection(_transport, connection, Local, Remote, dialer: Local, incarnation);
            _ = ReadThenRingAsync(peer);
            return peer;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            if (_current is null)
            {
                Fail("timed out");
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Fail(e.Message);
        }
        finally
        {
            lock (_gate)
            {
                _dial = null;
            }
        }

        socket?.Dispose();
        connection?.Dispose();
        return null;
    }

    /// <summary>Runs the reader of a connection dialed here; when it ends, the loop notices and, if messages wait, reconnects now.</summary>
    private async Task ReadThenRingAsync(PeerConnection peer)
    {
        await peer.ReadAsync(_stop.Token).ConfigureAwait(false);
        Ring();
    }

    private void Fail(string reason)
    {
        Interlocked.Increment(ref _transport.CounterSet.ConnectFailures);
        var attempts = Interlocked.Increment(ref _failedAttempts);
        _lastError = reason;
        if (attempts == 1 || attempts % 10 == 0)
        {
            _transport.Log.LogWarning("Cannot connect {Local} → {Remote} (attempt {Attempts}): {Reason}", Local, Remote, attempts, reason);
        }
    }
}
