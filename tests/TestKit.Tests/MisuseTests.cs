using System.Diagnostics;
using Decentral.Simulation;
using Xunit.Abstractions;

namespace Decentral.TestKit.Tests;

/// <summary>A wait that could only wait on the wall clock while a simulation stands still fails at once, saying what to do.</summary>
public sealed class MisuseTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Akkas_waits_fail_fast_when_the_cluster_runs_on_a_simulator_the_test_kit_did_not_make()
    {
        using var simulator = new Simulator(3);
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(2, 2, iterations: 10), simulator, LoggerFactory);
        var wall = Stopwatch.StartNew();
        var e = Assert.Throws<VirtualTimeMisuseException>(() => AwaitAssert(() => Assert.True(cluster.Frontier >= 5), TimeSpan.FromSeconds(10)));
        Assert.Contains("CreateSimulation()", e.Message, StringComparison.Ordinal);
        Assert.Throws<VirtualTimeMisuseException>(() => CreateTestProbe().ExpectMsg<NodeFinished>());
        Assert.True(wall.Elapsed < TimeSpan.FromSeconds(5), $"took {wall.Elapsed}");
        // The cluster's own waits drive its simulator and still work.
        cluster.AwaitFinished(TimeSpan.FromMinutes(1));
    }
}
