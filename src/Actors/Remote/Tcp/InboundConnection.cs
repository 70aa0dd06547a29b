using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>
/// An accepted connection: challenges the caller, checks its Hello (MAC with the secret, echoed nonce,
/// the address it calls, its incarnation), then attaches the connection to the pair's
/// <see cref="PeerLink"/> (which writes on it) and reads its frames, handing their envelopes to the
/// bound system. Any violation closes the connection and is counted; the process carries on.
/// </summary>
internal sealed class InboundConnection
{
    private readonly TcpTransport _transport;
    private readonly TcpListenerLoop _listener;
    private readonly FrameConnection _connection;
    private PeerConnection? _peer;

    public InboundConnection(TcpTransport transport, TcpListenerLoop listener, Socket socket)
    {
        _transport = transport;
        _listener = listener;
        _connection = new FrameConnection(socket, FrameFormat.ChallengeKey, transport.Settings.Secret, transport.CounterSet);
    }

    public Address Local => _listener.Address;

    public Address? Peer { get; private set; }

    public ulong PeerIncarnation { get; private set; }

    public TcpInboundStatus? Status => Peer is { } peer ? new TcpInboundStatus(peer, Local, PeerIncarnation, _peer?.FramesReceived ?? 0) : null;

    public void Close() => _connection.Dispose();

    public async Task RunAsync(CancellationToken stop)
    {
        var counters = _transport.CounterSet;
        try
        {
            var rejection = await HandshakeAsync(stop).ConfigureAwait(false);
            if (rejection is { } status)
            {
                counters.CountRejection(status);
                _transport.LogRejection(_connection.RemoteEndPoint, Peer, status);
                return;
            }

            var peer = new PeerConnection(_transport, _connection, Local, Peer!, dialer: Peer!, PeerIncarnation);
            _peer = peer;
            if (_transport.AttachAccepted(peer))
            {
                await peer.ReadAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The peer went away mid-write of our challenge or welcome: nothing to count.
        }
        finally
        {
            _connection.Dispose();
            _transport.RemoveInbound(this);
        }
    }

    /// <summary>Null when the caller is authenticated and admitted, else the rejection.</summary>
    private async Task<FrameStatus?> HandshakeAsync(CancellationToken stop)
    {
        var settings = _transport.Settings;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(settings.HandshakeTimeout);
        var nonce = RandomNumberGenerator.GetBytes(FrameFormat.NonceBytes);
        Frame frame;
        try
        {
            new ChallengePayload(Local, settings.Incarnation, nonce).Write(_connection.BeginFrame(FrameKind.Challenge));
            _connection.EndFrame(FrameFormat.MaxHandshakeBodyBytes);
            await _connection.FlushAsync(timeout.Token).ConfigureAwait(false);
            frame = await _connection.ReadAsync(FrameFormat.MaxHandshakeBodyBytes, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return FrameStatus.TimedOut;
        }

        if (frame.Status == FrameStatus.Closed)
        {
            // Connected and left without a word (a port probe): closed, but not an attack on anything.
            return FrameStatus.Closed;
        }

        if (frame.Status != FrameStatus.Ok)
        {
            return frame.Status;
        }

        if (frame.Kind != FrameKind.Hello || HelloPayload.Read(frame.Payload.ToArray()) is not { } hello)
        {
            return FrameStatus.Malformed;
        }

        Peer = hello.From;
        PeerIncarnation = hello.Incarnation;
        if (!CryptographicOperations.FixedTimeEquals(hello.EchoedNonce, nonce))
        {
            return FrameStatus.Replayed;
        }

        if (hello.To != Local || (settings.AllowedPeers is { } allowed && !allowed.Contains(hello.From)))
        {
            return FrameStatus.UnknownPeer;
        }

        if (!_transport.AdmitInbound(this, hello.From, hello.Incarnation))
        {
            return FrameStatus.Replayed;
        }

        _connection.UseSessionKey(FrameFormat.SessionKey(settings.Secret, nonce, hello.DialerNonce));
        if (!_connection.TryBeginWrite())
        {
            // Closed meanwhile: the same caller connected again, or restarted.
            return FrameStatus.Closed;
        }

        try
        {
            new WelcomePayload(settings.Incarnation).Write(_connection.BeginFrame(FrameKind.Welcome));
            _connection.EndFrame(FrameFormat.MaxHandshakeBodyBytes);
            await _connection.FlushAsync(stop).ConfigureAwait(false);
        }
        finally
        {
            _connection.EndWrite();
        }

        Interlocked.Increment(ref _transport.CounterSet.ConnectionsAccepted);
        return null;
    }
}
