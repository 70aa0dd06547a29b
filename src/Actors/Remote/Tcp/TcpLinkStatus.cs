namespace Decentral.Actors;

/// <summary>Where a link to a peer system stands.</summary>
public enum TcpLinkState
{
    /// <summary>No connection: nothing to send yet, or the last one closed and nothing waits.</summary>
    Idle,

    Connecting,

    Connected,

    /// <summary>The last attempt failed; the next one waits (exponential backoff).</summary>
    Backoff,

    /// <summary>The local address was unbound or the transport disposed.</summary>
    Closed,
}

/// <summary>
/// One link (a system bound here ↔ a peer system) as the admin endpoint shows it: what this side queued
/// and sent to the peer, and the connection that carries both directions, whichever side dialed it.
/// </summary>
public sealed record TcpLinkStatus(
    Address From,
    Address To,
    TcpLinkState State,
    int Queued,
    long FramesSent,
    int FailedAttempts,
    ulong? PeerIncarnation,
    string? LastError)
{
    /// <summary>Connections open on this link: 1 normally, briefly 2 while a simultaneous dial settles.</summary>
    public int OpenConnections { get; init; }

    /// <summary>Whether the connection written to was dialed by this side (null when there is none).</summary>
    public bool? DialedHere { get; init; }
}

/// <summary>One accepted, authenticated connection (a peer system → a system bound here).</summary>
public sealed record TcpInboundStatus(Address Peer, Address Local, ulong PeerIncarnation, long FramesReceived);
