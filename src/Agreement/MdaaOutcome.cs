namespace Decentral.Agreement;

public enum MdaaStatus
{
    /// <summary>Stored for the current or a future round; no quorum yet.</summary>
    Accepted,

    /// <summary>Stored and it completed a quorum: <see cref="MdaaOutcome.Advance"/> holds the new value.</summary>
    Advanced,

    /// <summary>This sender was already counted for that round; ignored.</summary>
    Duplicate,

    /// <summary>For a round already completed (or the instance has finished); ignored.</summary>
    Stale,

    /// <summary>Invalid or over a bound; ignored and counted under <see cref="MdaaOutcome.Reason"/>.</summary>
    Dropped,

    /// <summary>With <see cref="Mdaa.OneValuePerCluster"/>: the sender's cluster already has a value for that round; ignored.</summary>
    Represented,
}

public enum MdaaDropReason
{
    None,
    UnknownSender,
    RoundOutOfRange,
    WrongDimension,
    NonFinite,

    /// <summary>More than <see cref="Mdaa.MaxBufferedRounds"/> rounds would be buffered and this one is below all future ones kept.</summary>
    BufferFull,
}

/// <summary>
/// A completed round: a quorum for <see cref="CompletedRound"/> was held and <see cref="Value"/> =
/// Aggregate(its values) is the process's value for round <see cref="CompletedRound"/> + 1.
/// <see cref="SkippedRounds"/> &gt; 0 when that round was later than the one the instance was waiting for.
/// </summary>
public sealed record MdaaAdvance(
    int CompletedRound,
    int SkippedRounds,
    ReadOnlyMemory<double> Value,
    ReadOnlyMemory<double> Weights,
    IReadOnlyList<ProcessId> Senders,
    IReadOnlyList<ReadOnlyMemory<double>> Inputs,
    bool Finished)
{
    /// <summary>The round the instance waits for next (R + 1 once finished).</summary>
    public int NextRound => CompletedRound + 1;
}

public readonly record struct MdaaOutcome(MdaaStatus Status, MdaaDropReason Reason = MdaaDropReason.None, MdaaAdvance? Advance = null);
