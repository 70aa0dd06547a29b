using Decentral.Agreement;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Nodes.Tests.Runtime;

/// <summary>The README's TestKit example, verbatim: it must compile and pass.</summary>
public sealed class ReadmeExampleTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Minority_partition_catches_up_after_heal()
    {
        var spec = RuntimeFixtures.BreastCancerL2(iterations: 200);
        using var cluster = LocalCluster.Simulated(spec, CreateSimulation(), LoggerFactory); // or LocalCluster.RealTime(spec)
        cluster.AwaitFrontier(20);
        cluster.Faults.Partition(["c1"], ["c2", "c3"]);
        cluster.AwaitFrontier(120);                  // c1 stays where it was: no quorum
        var healedAt = cluster.Frontier;
        cluster.Faults.Heal();
        cluster.AwaitFinished();
        AgreementAssert.Valid(cluster);              // every agreed value = convex combination of a quorum's values
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
        AgreementAssert.Contracts(cluster.Events, window: 2, factor: ContractionBound.PerTwoRounds(3), minIteration: healedAt + 2);
    }
}
