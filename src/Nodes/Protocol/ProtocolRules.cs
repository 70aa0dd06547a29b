using Decentral.Agreement;

namespace Decentral.Nodes.Protocol;

/// <summary>
/// The decisions of the decentralized SGD protocol that a planted bug may bend, as one strategy: the
/// round machine's (<see cref="RoundRules"/>) and which model a checkpoint holds. <see cref="Faithful"/>
/// is the algorithm; the deterministic simulation's mutants are subclasses it injects through
/// <see cref="ProtocolOptions"/> — nowhere else does the protocol branch on a bug.
/// </summary>
internal class ProtocolRules
{
    /// <summary>The algorithm as specified.</summary>
    public static ProtocolRules Faithful { get; } = new();

    /// <summary>The rules' name in traces and failure messages.</summary>
    public virtual string Name => "faithful";

    /// <summary>The round machine's decisions.</summary>
    public virtual RoundRules Rounds => RoundRules.Faithful;

    /// <summary>The model the checkpoint written after an iteration holds: the state it produced.</summary>
    public virtual double[] CheckpointedModel(double[] before, double[] after) => after;
}
