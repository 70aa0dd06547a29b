using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst;

/// <summary>
/// A known bug `decentral dst --mutant` plants, to prove the invariants can fail: the protocol's
/// decisions bent through its one seam (<see cref="ProtocolRules"/>; the classes in PlantedBugs.cs), or a
/// wrong aggregation rule.
/// </summary>
public sealed record DstMutant
{
    private DstMutant(string name, string description, ProtocolRules rules, IAggregationRule? rule)
    {
        Name = name;
        Description = description;
        Rules = rules;
        Rule = rule;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>The protocol's decisions with the bug planted (faithful for a wrong-rule mutant).</summary>
    internal ProtocolRules Rules { get; }

    /// <summary>The aggregation rule that replaces the configured one, if the bug is a rule.</summary>
    public IAggregationRule? Rule { get; }

    public static DstMutant QuorumOneShort { get; } = new(
        "quorum-one-short", "a stage completes with one process fewer than a quorum", new PlantedRoundRules(QuorumOneShortRounds.Instance), null);

    public static DstMutant SkipWithoutQuorum { get; } = new(
        "skip-without-quorum", "a node skips to a later stage on any message for it", new PlantedRoundRules(SkipWithoutQuorumRounds.Instance), null);

    public static DstMutant CheckpointBeforeState { get; } = new(
        "checkpoint-before-state", "the checkpoint of iteration t+1 holds the model of iteration t", CheckpointBeforeStateRules.Instance, null);

    public static DstMutant MidExtremesWrongPair { get; } = new(
        "mid-extremes-wrong-pair", "MidExtremes takes the midpoint of the closest pair, not the farthest", ProtocolRules.Faithful, ClosestPairRule.Instance);

    public static IReadOnlyList<DstMutant> All { get; } = [QuorumOneShort, SkipWithoutQuorum, CheckpointBeforeState, MidExtremesWrongPair];

    /// <summary>The mutant called <paramref name="name"/> (case-insensitive).</summary>
    public static DstMutant Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var m in All)
        {
            if (string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }
        throw new ArgumentException(
            $"Unknown mutant '{name}'; expected one of {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));
    }

    public override string ToString() => Name;
}
