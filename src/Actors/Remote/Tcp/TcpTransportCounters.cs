namespace Decentral.Actors;

/// <summary>What a <see cref="TcpTransport"/> did, at one moment. Rejections close the connection; bad messages only drop.</summary>
public sealed record TcpTransportCounters
{
    public long FramesSent { get; init; }

    public long BytesSent { get; init; }

    public long FramesReceived { get; init; }

    public long BytesReceived { get; init; }

    /// <summary>Messages handed to a bound system.</summary>
    public long MessagesDelivered { get; init; }

    public long ConnectionsDialed { get; init; }

    public long ConnectionsAccepted { get; init; }

    /// <summary>Dial attempts that failed (refused, timed out, or the handshake failed).</summary>
    public long ConnectFailures { get; init; }

    /// <summary>Established connections that broke (peer closed or died, write failed).</summary>
    public long Disconnects { get; init; }

    /// <summary>Connections closed because nothing, not even a heartbeat, arrived within the idle timeout.</summary>
    public long IdleTimeouts { get; init; }

    /// <summary>Length prefix above the maximum (or below the minimum) frame size: closed.</summary>
    public long OversizedFrames { get; init; }

    /// <summary>The peer closed in the middle of a frame: closed.</summary>
    public long TruncatedFrames { get; init; }

    /// <summary>A frame of the wrong kind or layout for the connection's state (garbage): closed.</summary>
    public long MalformedFrames { get; init; }

    /// <summary>Wrong MAC: the peer does not know the secret, or the bytes were altered: closed.</summary>
    public long AuthFailures { get; init; }

    /// <summary>A non-increasing sequence number, a stale challenge echo, or a retired incarnation: closed.</summary>
    public long ReplayedFrames { get; init; }

    /// <summary>A handshake naming an address this process does not serve, or a peer not allowed: closed.</summary>
    public long UnknownPeers { get; init; }

    /// <summary>No handshake within the timeout: closed.</summary>
    public long HandshakeTimeouts { get; init; }

    /// <summary>Accepted connections closed at once because too many were open.</summary>
    public long ConnectionLimitRejects { get; init; }

    /// <summary>Authenticated frames whose envelope or message failed to decode: dropped, connection kept.</summary>
    public long BadMessages { get; init; }

    /// <summary>Queued messages replaced, while their link was down, by a newer one of the same sender.</summary>
    public long Superseded { get; init; }

    /// <summary>Queued messages dropped because the send queue was full.</summary>
    public long QueueOverflows { get; init; }

    /// <summary>Messages that could not be sent: no host/port in the address, too large, or the serializer failed.</summary>
    public long SendFailures { get; init; }

    /// <summary>Messages that arrived for an address no longer bound here.</summary>
    public long Undeliverable { get; init; }

    /// <summary>Connections closed because of the peer's bad input (the sum of the rejection counters).</summary>
    public long RejectedConnections =>
        OversizedFrames + TruncatedFrames + MalformedFrames + AuthFailures + ReplayedFrames + UnknownPeers + HandshakeTimeouts + ConnectionLimitRejects;
}

/// <summary>The live counters behind <see cref="TcpTransportCounters"/>; incremented from many threads.</summary>
internal sealed class TcpCounterSet
{
    public long FramesSent;
    public long BytesSent;
    public long FramesReceived;
    public long BytesReceived;
    public long MessagesDelivered;
    public long ConnectionsDialed;
    public long ConnectionsAccepted;
    public long ConnectFailures;
    public long Disconnects;
    public long IdleTimeouts;
    public long OversizedFrames;
    public long TruncatedFrames;
    public long MalformedFrames;
    public long AuthFailures;
    public long ReplayedFrames;
    public long UnknownPeers;
    public long HandshakeTimeouts;
    public long ConnectionLimitRejects;
    public long BadMessages;
    public long Superseded;
    public long QueueOverflows;
    public long SendFailures;
    public long Undeliverable;

    /// <summary>Counts a rejected connection under the counter its reason names.</summary>
    public void CountRejection(FrameStatus status)
    {
        switch (status)
        {
            case FrameStatus.Oversized:
                Interlocked.Increment(ref OversizedFrames);
                break;
            case FrameStatus.Truncated:
                Interlocked.Increment(ref TruncatedFrames);
                break;
            case FrameStatus.Malformed:
                Interlocked.Increment(ref MalformedFrames);
                break;
            case FrameStatus.BadMac:
                Interlocked.Increment(ref AuthFailures);
                break;
            case FrameStatus.Replayed:
                Interlocked.Increment(ref ReplayedFrames);
                break;
            case FrameStatus.UnknownPeer:
                Interlocked.Increment(ref UnknownPeers);
                break;
            case FrameStatus.TimedOut:
                Interlocked.Increment(ref HandshakeTimeouts);
                break;
            default:
                break;
        }
    }

    public TcpTransportCounters Snapshot() => new()
    {
        FramesSent = Interlocked.Read(ref FramesSent),
        BytesSent = Interlocked.Read(ref BytesSent),
        FramesReceived = Interlocked.Read(ref FramesReceived),
        BytesReceived = Interlocked.Read(ref BytesReceived),
        MessagesDelivered = Interlocked.Read(ref MessagesDelivered),
        ConnectionsDialed = Interlocked.Read(ref ConnectionsDialed),
        ConnectionsAccepted = Interlocked.Read(ref ConnectionsAccepted),
        ConnectFailures = Interlocked.Read(ref ConnectFailures),
        Disconnects = Interlocked.Read(ref Disconnects),
        IdleTimeouts = Interlocked.Read(ref IdleTimeouts),
        OversizedFrames = Interlocked.Read(ref OversizedFrames),
        TruncatedFrames = Interlocked.Read(ref TruncatedFrames),
        MalformedFrames = Interlocked.Read(ref MalformedFrames),
        AuthFailures = Interlocked.Read(ref AuthFailures),
        ReplayedFrames = Interlocked.Read(ref ReplayedFrames),
        UnknownPeers = Interlocked.Read(ref UnknownPeers),
        HandshakeTimeouts = Interlocked.Read(ref HandshakeTimeouts),
        ConnectionLimitRejects = Interlocked.Read(ref ConnectionLimitRejects),
        BadMessages = Interlocked.Read(ref BadMessages),
        Superseded = Interlocked.Read(ref Superseded),
        QueueOverflows = Interlocked.Read(ref QueueOverflows),
        SendFailures = Interlocked.Read(ref SendFailures),
        Undeliverable = Interlocked.Read(ref Undeliverable),
    };
}
