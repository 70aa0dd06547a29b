using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst.Invariants;

/// <summary>No stage completes without a quorum: the distinct senders of every completion form a quorum under the configured rule.</summary>
public sealed class QuorumInvariant(ClusterLayout layout, QuorumRule rule)
{
    public string Name => InvariantNames.Quorum;

    public string? Check(StageCompleted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var tracker = rule.CreateTracker(layout);
        foreach (var s in e.Senders)
        {
            if (s < 0 || s >= layout.N)
            {
                return $"node {e.Node} at {e.Stage}: unknown sender {s}";
            }
            tracker.Add(layout.ProcessAt(s));
        }
        if (tracker.IsQuorum)
        {
            return null;
        }
        var clusters = new SortedSet<int>(e.Senders.Select(s => layout.ProcessAt(s).Cluster));
        var covered = clusters.Sum(layout.SizeOf);
        return $"node {e.Node} completed {e.Stage}{(e.Skipped ? " (skipping)" : string.Empty)} without a quorum ({rule}): senders [{string.Join(",", e.Senders)}] "
            + $"cover clusters [{string.Join(",", clusters.Select(c => c + 1))}] = {covered} of {layout.N} processes, {clusters.Count} of {layout.ClusterCount} clusters";
    }
}
