using Decentral.Nodes.Network;

namespace Decentral.TestKit;

/// <summary>
/// The TestConductor's commands on a <see cref="LocalCluster"/>, usable at any point of a test: "c1"
/// names a cluster (its actor system), "c1/n2" one node. Link faults act on the links between
/// clusters (a node's links are its cluster's). Unknown names throw ArgumentException naming them.
/// </summary>
public sealed class Faults
{
    private readonly LocalCluster cluster;

    public Faults(LocalCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        this.cluster = cluster;
    }

    /// <summary>The network between the clusters, for its counters.</summary>
    public FaultyNetwork Network => cluster.Runtime.Network;

    public void Blackhole(string a, string b, LinkDirection direction = LinkDirection.Both) =>
        Network.Blackhole(cluster.EndpointOf(a), cluster.EndpointOf(b), direction);

    public void PassThrough(string a, string b, LinkDirection direction = LinkDirection.Both) =>
        Network.PassThrough(cluster.EndpointOf(a), cluster.EndpointOf(b), direction);

    /// <summary>Splits into groups that cannot reach each other (both ways). Names in no group keep their links.</summary>
    public void Partition(params string[][] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Network.Partition([.. groups.Select(g => (IReadOnlyCollection<string>)[.. g.Select(cluster.EndpointOf)])]);
    }

    /// <summary>The asymmetric partition: <paramref name="from"/> cannot reach <paramref name="to"/>; the reverse still works.</summary>
    public void PartitionOneWay(string[] from, string[] to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        Network.PartitionOneWay([.. from.Select(cluster.EndpointOf)], [.. to.Select(cluster.EndpointOf)]);
    }

    /// <summary>Ends every link fault.</summary>
    public void Heal() => Network.Heal();

    public void Delay(string a, string b, DelayDistribution delay, LinkDirection direction = LinkDirection.Both) =>
        Network.SetDelay(cluster.EndpointOf(a), cluster.EndpointOf(b), delay, direction);

    public void Delay(string a, string b, TimeSpan constant, LinkDirection direction = LinkDirection.Both) =>
        Delay(a, b, DelayDistribution.Constant(constant), direction);

    public void Drop(string a, string b, double probability, LinkDirection direction = LinkDirection.Both) =>
        Network.SetDropProbability(cluster.EndpointOf(a), cluster.EndpointOf(b), probability, direction);

    public void Duplicate(string a, string b, double probability, LinkDirection direction = LinkDirection.Both) =>
        Network.SetDuplicateProbability(cluster.EndpointOf(a), cluster.EndpointOf(b), probability, direction);

    public void Reorder(string a, string b, double probability, TimeSpan maxExtraDelay, LinkDirection direction = LinkDirection.Both) =>
        Network.SetReorder(cluster.EndpointOf(a), cluster.EndpointOf(b), probability, maxExtraDelay, direction);

    /// <summary>Crashes a node (its actor stops) or a cluster (all its nodes) without cleanup; checkpoints survive.</summary>
    public void Crash(string target) => cluster.Runtime.Crash(target);

    /// <summary>Restarts what <see cref="Crash"/> crashed: a new incarnation from the newest valid checkpoint.</summary>
    public void Restart(string target) => cluster.Runtime.Restart(target);
}
