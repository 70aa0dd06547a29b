using System.Buffers;
using System.Net.Sockets;

namespace Decentral.Actors;

/// <summary>
/// One authenticated connection between a system bound here (<see cref="Local"/>) and a peer system
/// (<see cref="Remote"/>), whichever side dialed it. It carries envelopes both ways: its
/// <see cref="PeerLink"/> is the only writer, and <see cref="ReadAsync"/> is the only reader, handing
/// every data frame to the local system and noting when anything (data or heartbeat) last arrived.
/// </summary>
internal sealed class PeerConnection : IDisposable
{
    private readonly TcpTransport _transport;
    private long _framesReceived;
    private long _lastReceived;
    private long _lastSent;
    private volatile bool _broken;

    public PeerConnection(TcpTransport transport, FrameConnection connection, Address local, Address remote, Address dialer, ulong peerIncarnation)
    {
        _transport = transport;
        Connection = connection;
        Local = local;
        Remote = remote;
        Dialer = dialer;
        PeerIncarnation = peerIncarnation;
        var now = transport.Time.GetTimestamp();
        _lastReceived = now;
        _lastSent = now;
    }

    public FrameConnection Connection { get; }

    public Address Local { get; }

    public Address Remote { get; }

    /// <summary>The system that dialed this connection: <see cref="Local"/> or <see cref="Remote"/>.</summary>
    public Address Dialer { get; }

    public bool DialedHere => Dialer == Local;

    public ulong PeerIncarnation { get; }

    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    public bool IsBroken => _broken || Connection.IsDisposed;

    public TimeSpan SinceLastReceived => _transport.Time.GetElapsedTime(Interlocked.Read(ref _lastReceived));

    public TimeSpan SinceLastSent => _transport.Time.GetElapsedTime(Interlocked.Read(ref _lastSent));

    /// <summary>
    /// Of two connections between the same pair, the one both ends keep: a newer one from the same dialer
    /// (the dialer gave up the older one), else the one dialed by the address that sorts first, so two
    /// systems that dial each other at the same moment settle on the same connection.
    /// </summary>
    public static bool Prefers(PeerConnection candidate, PeerConnection current) =>
        candidate.Dialer == current.Dialer || PrefersDialer(candidate.Dialer, current.Dialer);

    /// <summary>Whether a connection dialed by <paramref name="dialer"/> wins over one dialed by <paramref name="other"/>.</summary>
    public static bool PrefersDialer(Address dialer, Address other) =>
        string.CompareOrdinal(dialer.ToString(), other.ToString()) < 0;

    public void MarkBroken() => _broken = true;

    public void NoteSent() => Interlocked.Exchange(ref _lastSent, _transport.Time.GetTimestamp());

    /// <summary>
    /// Reads until the connection ends: Closed when the peer closed it (or it was disposed here), else
    /// the rejection that closed it (counted and logged). The connection is broken afterwards.
    /// </summary>
    public async Task<FrameStatus> ReadAsync(CancellationToken stop)
    {
        var counters = _transport.CounterSet;
        var paths = new PathCache();
        byte[]? scratch = null;
        try
        {
            while (true)
            {
                var frame = await Connection.ReadAsync(_transport.Settings.MaxFrameBytes, stop).ConfigureAwait(false);
                if (frame.Status == FrameStatus.Closed)
                {
                    return FrameStatus.Closed;
                }

                if (frame.Status != FrameStatus.Ok || frame.Kind is not (FrameKind.Data or FrameKind.Heartbeat))
                {
                    var status = frame.Status == FrameStatus.Ok ? FrameStatus.Malformed : frame.Status;
                    counters.CountRejection(status);
                    _transport.LogRejection(Connection.RemoteEndPoint, Remote, status);
                    return status;
                }

                Interlocked.Exchange(ref _lastReceived, _transport.Time.GetTimestamp());
                Interlocked.Increment(ref _framesReceived);
                if (frame.Kind == FrameKind.Heartbeat)
                {
                    continue;
                }

                var payload = frame.Payload;
                ReadOnlySpan<byte> bytes;
                if (payload.IsSingleSegment)
                {
                    bytes = payload.FirstSpan;
                }
                else
                {
                    if (scratch is null || scratch.Length < payload.Length)
                    {
                        scratch = new byte[Math.Max(payload.Length, 4096)];
                    }

                    payload.CopyTo(scratch);
                    bytes = scratch.AsSpan(0, (int)payload.Length);
                }

                var envelope = EnvelopeFormat.Read(bytes, Local, Remote, _transport.Serializer, paths, out var error);
                if (envelope is null)
                {
                    Interlocked.Increment(ref counters.BadMessages);
                    _transport.LogBadMessage(Remote, error!);
                    continue;
                }

                _transport.Deliver(Local, envelope);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return FrameStatus.Closed;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return FrameStatus.Closed;
        }
        finally
        {
            _broken = true;
        }
    }

    public void Dispose()
    {
        _broken = true;
        Connection.Dispose();
    }
}
