using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst;

/// <summary>A known bug `decentral dst --mutant` plants, to prove the invariants can fail.</summary>
public sealed record DstMutant(string Name, string Description, ProtocolMutant Protocol, IAggregationRule? Rule)
{
    public static DstMutant QuorumOneShort { get; } = new(
        "quorum-one-short", "a stage completes with one process fewer than a quorum", ProtocolMutant.QuorumOneShort, null);

    public static DstMutant SkipWithoutQuorum { get; } = new(
        "skip-without-quorum", "a node skips to a later stage on any message for it", ProtocolMutant.SkipWithoutQuorum, null);

    public static DstMutant CheckpointBeforeState { get; } = new(
        "checkpoint-before-state", "the checkpoint of iteration t+1 holds the model of iteration t", ProtocolMutant.CheckpointBeforeState, null);

    public static DstMutant MidExtremesWrongPair { get; } = new(
        "mid-extremes-wrong-pair", "MidExtremes takes the midpoint of the closest pair, not the farthest", ProtocolMutant.None, ClosestPairRule.Instance);

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
