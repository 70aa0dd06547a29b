namespace Decentral.Actors;

/// <summary>Where an outbound link stands.</summary>
public enum TcpLinkState
{
    /// <summary>Nothing sent yet: no connection was needed.</summary>
    Idle,

    Connecting,

    Connected,

    /// <summary>The last attempt failed; the next one waits (exponential backoff).</summary>
    Backoff,

    /// <summary>The local address was unbound or the transport disposed.</summary>
    Closed,
}

/// <summary>One outbound link (this process's system → a peer system) as the admin endpoint shows it.</summary>
public sealed record TcpLinkStatus(
    Address From,
    Address To,
    TcpLinkState State,
    int Queued,
    long FramesSent,
    int FailedAttempts,
    ulong? PeerIncarnation,
    string? LastError);

/// <summary>One accepted, authenticated connection (a peer system → a system bound here).</summary>
public sealed record TcpInboundStatus(Address Peer, Address Local, ulong PeerIncarnation, long FramesReceived);
