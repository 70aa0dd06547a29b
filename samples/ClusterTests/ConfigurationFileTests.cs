using Decentral.TestKit;
using Xunit.Abstractions;

namespace ClusterTests;

/// <summary>The same assertions on a cluster described by the configuration file this project ships.</summary>
public sealed class ConfigurationFileTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void The_shipped_configuration_survives_its_crash_and_partition_schedule()
    {
        var spec = ClusterSpecs.FromFile(Path.Combine(AppContext.BaseDirectory, "cluster.conf"));
        Assert.Equal(4, spec.Faults.Count);
        using var cluster = LocalCluster.Simulated(spec, CreateSimulation(), LoggerFactory);
        cluster.AwaitFinished(TimeSpan.FromMinutes(5));
        Assert.All(cluster.Runtime.FaultLog, f => Assert.Null(f.Error));
        Assert.Equal(4, cluster.Runtime.FaultLog.Count);
        Assert.Equal(9, cluster.LiveNodes().Count(n => n.Finished));
        var q = AgreementAssert.ContractionBound(3);
        var worst = AgreementAssert.Contracts(cluster.Events, window: 2, factor: q, minIteration: 152);
        Output.WriteLine($"worst two-round contraction after the heal {worst:g3} (q = {q:g3})");
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
    }
}
