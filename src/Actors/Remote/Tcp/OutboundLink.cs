using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>
/// One directed link: a system bound here (<see cref="From"/>) → a peer system (<see cref="To"/>). Owns
/// the link's bounded send queue (superseding while the link is down) and the one connection that carries it. The connection is
/// dialed when there is something to send, re-dialed with exponential backoff after a failure, and only
/// ever written by this link's loop, so the link is FIFO (up to superseding) with at-most-once delivery:
/// frames in flight when a connection breaks are lost, as on any network, and the protocol resends.
/// </summary>
internal sealed class OutboundLink
{
    /// <summary>Flush after this many buffered bytes even if more messages wait (bounds the write buffer).</summary>
    private const int FlushThresholdBytes = 256 * 1024;

    private readonly TcpTransport _transport;
    private readonly SupersedingQueue _queue;
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task? _loop;
    private volatile TcpLinkState _state = TcpLinkState.Idle;
    private volatile string? _lastError;
    private long _framesSent;
    private int _failedAttempts;
    private ulong _peerIncarnation;

    public OutboundLink(TcpTransport transport, Address from, Address to)
    {
        _transport = transport;
        From = from;
        To = to;
        _queue = new SupersedingQueue(transport.Settings.SendQueueCapacity);
    }

    public Address From { get; }

    public Address To { get; }

    public TcpLinkStatus Status => new(
        From, To, _state, _queue.Count, Interlocked.Read(ref _framesSent), Volatile.Read(ref _failedAttempts),
        _peerIncarnation == 0 ? null : _peerIncarnation, _lastError);

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

        _doorbell.Writer.TryWrite(true);
    }

    /// <summary>Stops the loop and drops what is queued; waits (bounded) for the connection to close.</summary>
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
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        DialedConnection? connection = null;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (connection is { IsBroken: true })
                {
                    // Noticed by the read watch (peer closed or died) or by a failed write.
                    Interlocked.Increment(ref _transport.CounterSet.Disconnects);
                    _transport.Log.LogInformation("Disconnected {From} → {To}", From, To);
                    connection.Dispose();
                    connection = null;
                    _state = TcpLinkState.Idle;
                }

                if (_queue.Count == 0)
                {
                    await _doorbell.Reader.ReadAsync(token).ConfigureAwait(false);
                    continue;
                }

                if (connection is null)
                {
                    connection = await ConnectAsync(token).ConfigureAwait(false);
                    if (connection is null)
                    {
                        _state = TcpLinkState.Backoff;
                        await Task.Delay(BackoffDelay(), _transport.Time, token).ConfigureAwait(false);
                        continue;
                    }
                }

                await SendQueuedAsync(connection, token).ConfigureAwait(false);
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
            connection?.Dispose();
            _state = TcpLinkState.Closed;
        }
    }

    /// <summary>Writes queued messages in batches; a failed write marks the connection broken.</summary>
    private async Task SendQueuedAsync(DialedConnection dialed, CancellationToken token)
    {
        var connection = dialed.Connection;
        var settings = _transport.Settings;
        try
        {
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

            await connection.FlushAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _lastError = e.Message;
            dialed.MarkBroken();
        }
    }

    private TimeSpan BackoffDelay()
    {
        var settings = _transport.Settings;
        var attempts = Math.Min(Volatile.Read(ref _failedAttempts), 30);
        var delay = settings.ReconnectMinDelay * Math.Pow(2, Math.Max(0, attempts - 1));
        return delay > settings.ReconnectMaxDelay ? settings.ReconnectMaxDelay : delay;
    }

    private async Task<DialedConnection?> ConnectAsync(CancellationToken token)
    {
        _state = TcpLinkState.Connecting;
        var settings = _transport.Settings;
        Socket? socket = null;
        FrameConnection? connection = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(settings.ConnectTimeout + settings.HandshakeTimeout);
        try
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(To.Host!, To.Port!.Value, timeout.Token).ConfigureAwait(false);
            connection = new FrameConnection(socket, settings.Secret, FrameFormat.ChallengeKey, _transport.CounterSet);
            socket = null;
            var failure = await HandshakeAsync(connection, timeout.Token).ConfigureAwait(false);
            if (failure is not null)
            {
                Fail(failure);
                connection.Dispose();
                return null;
            }

            Interlocked.Increment(ref _transport.CounterSet.ConnectionsDialed);
            Volatile.Write(ref _failedAttempts, 0);
            _lastError = null;
            _state = TcpLinkState.Connected;
            _transport.Log.LogInformation("Connected {From} → {To} (peer incarnation {Incarnation:x16})", From, To, _peerIncarnation);
            var dialed = new DialedConnection(connection);
            _ = dialed.MonitorAsync(_doorbell.Writer);
            return dialed;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            Fail("timed out");
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Fail(e.Message);
        }

        socket?.Dispose();
        connection?.Dispose();
        return null;
    }

    private void Fail(string reason)
    {
        Interlocked.Increment(ref _transport.CounterSet.ConnectFailures);
        var attempts = Interlocked.Increment(ref _failedAttempts);
        _lastError = reason;
        if (attempts == 1 || attempts % 10 == 0)
        {
            _transport.Log.LogWarning("Cannot connect {From} → {To} (attempt {Attempts}): {Reason}", From, To, attempts, reason);
        }
    }

    /// <summary>The dialer's half of the handshake; null on success, else why it failed (and the counter is bumped).</summary>
    private async Task<string?> HandshakeAsync(FrameConnection connection, CancellationToken token)
    {
        var settings = _transport.Settings;
        var counters = _transport.CounterSet;
        var frame = await connection.ReadAsync(FrameFormat.MaxHandshakeBodyBytes, token).ConfigureAwait(false);
        if (frame.Status != FrameStatus.Ok || frame.Kind != FrameKind.Challenge)
        {
            var status = frame.Status == FrameStatus.Ok ? FrameStatus.Malformed : frame.Status;
            counters.CountRejection(status);
            return $"bad challenge ({status})";
        }

        var challenge = ChallengePayload.Read(frame.Payload.ToArray());
        if (challenge is null)
        {
            counters.CountRejection(FrameStatus.Malformed);
            return "malformed challenge";
        }

        if (challenge.Acceptor != To)
        {
            counters.CountRejection(FrameStatus.UnknownPeer);
            return $"the peer at {To.Host}:{To.Port} is {challenge.Acceptor}, not {To}";
        }

        var nonce = RandomNumberGenerator.GetBytes(FrameFormat.NonceBytes);
        new HelloPayload(From, To, settings.Incarnation, nonce, challenge.Nonce).Write(connection.BeginFrame(FrameKind.Hello));
        connection.EndFrame(FrameFormat.MaxHandshakeBodyBytes);
        await connection.FlushAsync(token).ConfigureAwait(false);
        connection.UseSessionKey(FrameFormat.SessionKey(settings.Secret, challenge.Nonce, nonce));

        frame = await connection.ReadAsync(FrameFormat.MaxHandshakeBodyBytes, token).ConfigureAwait(false);
        if (frame.Status == FrameStatus.Closed)
        {
            return "the peer closed the connection during the handshake: it rejected us (different secrets? see its log)";
        }

        WelcomePayload? welcome = null;
        if (frame.Status == FrameStatus.Ok && frame.Kind == FrameKind.Welcome)
        {
            welcome = WelcomePayload.Read(frame.Payload.ToArray());
        }

        if (welcome is null || welcome.Incarnation != challenge.Incarnation)
        {
            counters.CountRejection(frame.Status == FrameStatus.Ok ? FrameStatus.Malformed : frame.Status);
            return $"bad welcome ({frame.Status})";
        }

        _peerIncarnation = welcome.Incarnation;
        return null;
    }

    /// <summary>A connection plus the watch on its read side: the acceptor never sends after Welcome, so any read result means it is gone.</summary>
    private sealed class DialedConnection(FrameConnection connection) : IDisposable
    {
        private volatile bool _broken;

        public FrameConnection Connection { get; } = connection;

        public bool IsBroken => _broken || Connection.IsDisposed;

        public void MarkBroken() => _broken = true;

        public async Task MonitorAsync(ChannelWriter<bool> doorbell)
        {
            try
            {
                await Connection.ReadAsync(FrameFormat.MaxHandshakeBodyBytes, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
            }

            _broken = true;

            // Wake the loop: if messages wait, it reconnects now instead of on the next send.
            doorbell.TryWrite(true);
        }

        public void Dispose() => Connection.Dispose();
    }
}
