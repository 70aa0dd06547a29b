namespace Decentral.Nodes.Runtime;

/// <summary>Read-only views of runtime internals for invariant checkers (decentral dst).</summary>
public sealed partial class ClusterRuntime
{
    /// <summary>Register arrays (agreement instances) the shared memory of <paramref name="cluster"/> holds now.</summary>
    public int RegisterInstances(int cluster)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cluster, memories.Length);
        return memories[cluster].InstanceCount;
    }
}
