namespace Decentral.Agreement;

/// <summary>
/// The decisions of the round machine (<see cref="Mdaa"/>) that a planted bug may bend, as one strategy:
/// when a buffered round may complete, whether a later round is jumped to on any message for it, and
/// whether the machine recounts its own quorum. <see cref="Faithful"/> is the algorithm; the
/// deterministic simulation's mutants (<c>decentral dst --mutant</c>) are subclasses it injects, so a
/// planted bug lives in one named class instead of branches in the machine.
/// </summary>
internal class RoundRules
{
    /// <summary>The algorithm as specified.</summary>
    public static RoundRules Faithful { get; } = new();

    /// <summary>The rules' name in traces and failure messages.</summary>
    public virtual string Name => "faithful";

    /// <summary>Whether a buffered round with these senders (<paramref name="tracker"/>) and <paramref name="values"/> values may complete.</summary>
    public virtual bool MayComplete(QuorumTracker tracker, int values) => tracker.IsQuorum;

    /// <summary>Whether any message for a later round is enough to jump there (never, faithfully: a quorum is).</summary>
    public virtual bool JumpsOnAnyMessage => false;

    /// <summary>
    /// Whether the machine recounts each completion's quorum itself (an always-on invariant). A planted
    /// quorum bug must be caught by the simulation's independent checkers, so such rules turn it off.
    /// </summary>
    public virtual bool RecountsQuorum => true;
}
