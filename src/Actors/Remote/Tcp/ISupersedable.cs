namespace Decentral.Actors;

/// <summary>
/// A message that a newer one may replace while both wait in a bounded send queue (the TCP transport's,
/// while the link is down): of two queued messages to the same recipient with the same
/// <see cref="SupersedeKey"/>, only the one with the larger <see cref="SupersedeOrder"/> is worth sending.
/// Decentral's protocol messages use the sending process as key and the stage (iteration, round) as
/// order, so a peer that comes back receives a sender's newest model instead of a backlog of stale ones
/// (it skips forward anyway).
/// </summary>
public interface ISupersedable
{
    /// <summary>Which messages compete: same recipient and same key.</summary>
    long SupersedeKey { get; }

    /// <summary>Larger is newer; an equal order also replaces (a resend of the same stage).</summary>
    long SupersedeOrder { get; }
}
