namespace Decentral.Agreement;

/// <summary>
/// Incremental quorum test: add senders one at a time (duplicates ignored); <see cref="IsQuorum"/> is O(1)
/// after each add. One tracker per (round, receiver); not thread-safe.
/// </summary>
public sealed class QuorumTracker
{
    private readonly QuorumRule rule;
    private readonly ClusterLayout layout;
    private readonly bool[] seen;
    private readonly int[] perCluster;
    private readonly List<int> added = [];
    private int coveredProcesses;
    private int coveredClusters;

    public QuorumTracker(QuorumRule rule, ClusterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(layout);
        rule.Validate(layout);
        this.rule = rule;
        this.layout = layout;
        seen = new bool[layout.N];
        perCluster = new int[layout.ClusterCount];
    }

    /// <summary>Number of distinct senders added.</summary>
    public int Count => added.Count;

    public bool IsQuorum => rule.Kind switch
    {
        QuorumKind.Processes => 2L * coveredProcesses > layout.N,
        QuorumKind.Clusters => 2 * coveredClusters > layout.ClusterCount,
        _ => added.Count >= rule.Count,
    };

    /// <summary>Clusters with at least one added sender.</summary>
    public int ClustersCovered => coveredClusters;

    /// <summary>
    /// The rule relaxed by one: a quorum if one more process (one more cluster under the clusters rule, one
    /// more sender under any:M) had been added. Only a planted bug of the simulation uses it (the quorum-one-short mutant).
    /// </summary>
    internal bool IsQuorumOneShort => rule.Kind switch
    {
        QuorumKind.Processes => 2L * (coveredProcesses + 1) > layout.N,
        QuorumKind.Clusters => 2 * (coveredClusters + 1) > layout.ClusterCount,
        _ => added.Count + 1 >= rule.Count,
    };

    public bool Contains(ProcessId sender) => layout.Contains(sender) && seen[layout.IndexOf(sender)];

    /// <summary>Whether some added sender belongs to <paramref name="cluster"/>.</summary>
    public bool CoversCluster(int cluster)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cluster, perCluster.Length);
        return perCluster[cluster] > 0;
    }

    /// <summary>Adds a sender; false when it was already counted.</summary>
    public bool Add(ProcessId sender)
    {
        var index = layout.IndexOf(sender);
        if (seen[index])
        {
            return false;
        }

        seen[index] = true;
        added.Add(index);
        if (perCluster[sender.Cluster]++ == 0)
        {
            coveredClusters++;
            coveredProcesses += layout.SizeOf(sender.Cluster);
        }

        return true;
    }

    public void Reset()
    {
        foreach (var index in added)
        {
            seen[index] = false;
        }

        added.Clear();
        Array.Clear(perCluster);
        coveredProcesses = 0;
        coveredClusters = 0;
    }
}
