using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst;

/// <summary>A round completes with one process (one cluster, one sender) fewer than a quorum.</summary>
internal sealed class QuorumOneShortRounds : RoundRules
{
    public static QuorumOneShortRounds Instance { get; } = new();

    public override string Name => "quorum-one-short";

    public override bool MayComplete(QuorumTracker tracker, int values) => tracker.IsQuorum || (values > 0 && tracker.IsQuorumOneShort);

    // The machine's own recount would flag it at once; the campaign's independent checkers must.
    public override bool RecountsQuorum => false;
}

/// <summary>A process jumps to a later round as soon as any message for it arrives.</summary>
internal sealed class SkipWithoutQuorumRounds : RoundRules
{
    public static SkipWithoutQuorumRounds Instance { get; } = new();

    public override string Name => "skip-without-quorum";

    public override bool JumpsOnAnyMessage => true;

    public override bool RecountsQuorum => false;
}

/// <summary>The protocol with planted round rules (<see cref="QuorumOneShortRounds"/>, <see cref="SkipWithoutQuorumRounds"/>).</summary>
internal sealed class PlantedRoundRules(RoundRules rounds) : ProtocolRules
{
    public override string Name => rounds.Name;

    public override RoundRules Rounds => rounds;
}

/// <summary>The checkpoint of iteration t + 1 is written with the model of iteration t.</summary>
internal sealed class CheckpointBeforeStateRules : ProtocolRules
{
    public static CheckpointBeforeStateRules Instance { get; } = new();

    public override string Name => "checkpoint-before-state";

    public override double[] CheckpointedModel(double[] before, double[] after) => before;
}
