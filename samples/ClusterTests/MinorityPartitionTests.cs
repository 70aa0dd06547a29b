using Decentral.TestKit;
using Xunit.Abstractions;

namespace ClusterTests;

public sealed class MinorityPartitionTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Minority_partition_catches_up_after_heal()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(3, 3, iterations: 200), CreateSimulation(), LoggerFactory);
        var probe = CreateTestProbe();
        cluster.Subscribe<NodeFinished>(probe);                          // or any NodeEvent: NodeCrashed, NodeSkipped, …

        AwaitAssert(() => Assert.True(cluster.Frontier >= 20));          // Akka's waits run the simulation: virtual time
        cluster.Faults.Partition(["c1"], ["c2", "c3"]);
        var stalled = cluster.Node("c1/n1").Iteration;
        AwaitAssert(() => Assert.True(cluster.Frontier >= 120), TimeSpan.FromMinutes(1));
        Assert.InRange(cluster.Node("c1/n1").Iteration, stalled, stalled + 1);   // c1 has no quorum: it waits
        var healedAt = cluster.Frontier;
        cluster.Faults.Heal();

        var finished = cluster.NodeNames.Select(_ => probe.ExpectMsg<NodeFinished>(TimeSpan.FromMinutes(1)).Name).ToList();
        Assert.Equal(cluster.NodeNames.Order(), finished.Order());      // every node finishes, c1's included
        AgreementAssert.Valid(cluster);              // every agreed value = convex combination of a quorum's values
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
        AgreementAssert.Contracts(cluster.Events, window: 2, factor: AgreementAssert.ContractionBound(3), minIteration: healedAt + 2);
    }
}
