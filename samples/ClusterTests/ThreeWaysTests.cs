using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;
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

    private static ClusterRunSpec Spec() => new()
    {
        Training = new TrainingSpec
        {
            Data = SyntheticData.Logistic(rows: 300, dimension: 6, seed: 3).Data,
            Objective = ObjectiveKind.LogisticL2,
            BatchSize = 16,
            StepSize = StepSize.InverseTime(1.0, 50),
            Seed = 3,
        },
        Protocol = new ProtocolOptions
        {
            Layout = ClusterLayout.Uniform(3, 2),
            Quorum = QuorumRule.Processes,
            Iterations = 100,
            Rounds = 2,
            FinalRounds = 20,
        },
        NetworkLatency = TimeSpan.Zero,
        ResendInterval = TimeSpan.FromMilliseconds(50),
    };

    private LocalCluster Start(Transport transport) => transport switch
    {
        Transport.Simulated => LocalCluster.Simulated(Spec(), CreateSimulation(testName: $"{nameof(A_crash_and_a_partition_end_in_agreement)}-{transport}"), LoggerFactory),
        Transport.InProcess => LocalCluster.RealTime(Spec(), LoggerFactory),
        _ => LocalCluster.OverRemoting(Spec(), LoggerFactory, tls: true),
    };

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
