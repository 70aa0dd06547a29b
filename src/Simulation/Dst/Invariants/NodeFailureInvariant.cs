using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst.Invariants;

/// <summary>
/// No node actor fails: every node starts once, and again only when the fault driver restarts it. An
/// exception inside a node would otherwise go unnoticed — supervision restarts the actor, which
/// recovers from its checkpoint like a crashed node and rejoins.
/// </summary>
public sealed class NodeFailureInvariant
{
    private readonly int[] startsExpected;

    public NodeFailureInvariant(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        startsExpected = new int[nodes];
        Array.Fill(startsExpected, 1);
    }

    public string Name => InvariantNames.NodeFailure;

    /// <summary>The fault driver restarted <paramref name="node"/>: one more start is expected.</summary>
    public void ExpectStart(int node) => startsExpected[node]++;

    public string? OnNodeStarted(NodeStarted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (startsExpected[e.Node] == 0)
        {
            return $"node {e.Node} restarted (incarnation {e.Incarnation}) although nothing crashed it: its actor failed";
        }
        // A node crashed again before its restart took effect starts once for two restarts: keep the count ≥ 0.
        startsExpected[e.Node]--;
        return null;
    }
}
