using Decentral.TestKit;
using Xunit.Abstractions;

namespace ClusterTests;

/// <summary>
/// One scenario, three transports, one line apart: the deterministic simulator (virtual time), Akka's
/// thread pool in one actor system per cluster, and real Akka.Remote between actor systems on
/// loopback ports (the transport of a multi-process deployment, here with mutual TLS).
/// </summary>
public sealed class ThreeWaysTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    public enum Transport
    {
        Simulated,
        InProcess,
        OverRemoting,
    }

    private LocalCluster Start(Transport transport)
    {
        // 3 clusters × 2 nodes, 100 iterations, no latency between clusters.
        var spec = ClusterSpecs.Logistic(TestData.Logistic(rows: 300, features: 6, seed: 3), clusters: 3, size: 2, iterations: 100, seed: 3)
            with { NetworkLatency = TimeSpan.Zero };
        return transport switch
        {
            Transport.Simulated => LocalCluster.Simulated(spec, CreateSimulation(testName: $"{nameof(A_crash_and_a_partition_end_in_agreement)}-{transport}"), LoggerFactory),
            Transport.InProcess => LocalCluster.RealTime(spec, LoggerFactory),
            _ => LocalCluster.OverRemoting(spec, LoggerFactory, tls: true),
        };
    }

    [Theory]
    [InlineData(Transport.Simulated)]
    [InlineData(Transport.InProcess)]
    [InlineData(Transport.OverRemoting)]
    public void A_crash_and_a_partition_end_in_agreement(Transport transport)
    {
        using var cluster = Start(transport);
        cluster.AwaitIteration("c2/n2", 10, TimeSpan.FromMinutes(2));
        cluster.Faults.Crash("c2/n2");
        cluster.Faults.Partition(["c1"], ["c2", "c3"]);
        cluster.AwaitFrontier(40, TimeSpan.FromMinutes(2));
        cluster.Faults.Heal();
        cluster.Faults.Restart("c2/n2");
        cluster.AwaitFinished(TimeSpan.FromMinutes(3));
        Assert.Equal(6, cluster.LiveNodes().Count(n => n.Finished));
        Assert.False(cluster.Node("c2/n2").Crashed);
        AgreementAssert.EpsilonAgreement(cluster, 1e-4);
        AgreementAssert.Valid(cluster);
    }
}
