namespace Decentral.Agreement;

/// <summary>
/// A process of the cluster-based model: its cluster and its member index inside that cluster, both
/// 0-based. <see cref="ToString"/> gives the 1-based display name "c1/n1" used in logs and the CLI.
/// </summary>
public readonly record struct ProcessId
{
    public ProcessId(int cluster, int member)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfNegative(member);
        Cluster = cluster;
        Member = member;
    }

    public int Cluster { get; }

    public int Member { get; }

    public override string ToString() => $"c{Cluster + 1}/n{Member + 1}";
}
