using System.Diagnostics;
using Decentral.TestKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ClusterTests;

/// <summary>
/// What a user of Decentral writes in their own test project, in Akka.TestKit's idiom: a 3 × 3 cluster
/// in process, faults injected by name, probes subscribed to what the nodes do, Akka's waits — on the
/// deterministic simulator (the real Akka node actors in virtual time, where Akka's waits run the
/// simulation) and on Akka's thread pool in real time.
/// </summary>
public sealed class ClusterScenarioTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Three_clusters_of_three_agree()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(3, 3), CreateSimulation(), LoggerFactory);
        var probe = CreateTestProbe();
        cluster.Subscribe<NodeFinished>(probe);

        // Every node, by name: node events are records, compared by value.
        probe.ExpectMsgAllOf(TimeSpan.FromMinutes(1), cluster.NodeNames.Select((name, index) => new NodeFinished(name, index, Incarnation: 0, Iterations: 150)).ToArray());
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
        AgreementAssert.EpsilonAgreementCw(cluster, 1e-6);
        Assert.True(AgreementAssert.Valid(cluster) > 0);
    }

    [Fact]
    public void Crashed_node_restarts_from_its_checkpoint_and_skips_to_the_frontier()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(3, 3), CreateSimulation(), LoggerFactory);
        var probe = CreateTestProbe();
        cluster.Subscribe(probe, typeof(NodeCrashed), typeof(CheckpointLoaded), typeof(NodeStarted), typeof(NodeSkipped), typeof(NodeFinished));

        AwaitAssert(() => Assert.True(cluster.Node("c2/n2").Iteration >= 40), TimeSpan.FromMinutes(1));
        cluster.Faults.Crash("c2/n2");
        var crashed = probe.FishForMessage<NodeCrashed>(e => e.Name == "c2/n2");
        AwaitAssert(() => Assert.True(cluster.Frontier >= crashed.Iteration + 30), TimeSpan.FromMinutes(1));
        cluster.Faults.Restart("c2/n2");

        var loaded = probe.ExpectMsg<CheckpointLoaded>(e => e.Name == "c2/n2");
        Assert.InRange(loaded.Iteration, 1, crashed.Iteration);
        probe.ExpectMsg(new NodeStarted("c2/n2", cluster.IndexOf("c2/n2"), Incarnation: 1, Iteration: loaded.Iteration + 1, FromCheckpoint: true));
        var skipped = probe.FishForMessage<NodeSkipped>(e => e.Name == "c2/n2", TimeSpan.FromMinutes(1));
        Assert.True(skipped.ToIteration > crashed.Iteration + 1, $"{skipped}: the restarted node replayed instead of skipping to the frontier");
        Assert.Equal(1, probe.FishForMessage<NodeFinished>(e => e.Name == "c2/n2", TimeSpan.FromMinutes(5)).Incarnation);
        AwaitAssert(() => Assert.Equal(9, cluster.LiveNodes().Count(n => n.Finished)), TimeSpan.FromMinutes(1));
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
    }

    [Fact]
    public void Partitioned_minority_stalls_then_catches_up_with_contraction_within_q()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(3, 3, iterations: 200), CreateSimulation(), LoggerFactory);
        AwaitAssert(() => Assert.True(cluster.Frontier >= 20));
        cluster.Faults.Partition(["c1"], ["c2", "c3"]);
        var stalled = cluster.Node("c1/n1").Iteration;
        AwaitAssert(() => Assert.True(cluster.Frontier >= 100), TimeSpan.FromMinutes(1));
        Assert.InRange(cluster.Node("c1/n1").Iteration, stalled, stalled + 1);
        var healedAt = cluster.Frontier;
        cluster.Faults.Heal();

        AwaitAssert(() => Assert.True(cluster.Node("c1/n1").Finished), TimeSpan.FromMinutes(5));
        var q = AgreementAssert.ContractionBound(3);
        var worst = AgreementAssert.Contracts(cluster.Events, window: 2, factor: q, minIteration: healedAt + 2);
        Output.WriteLine($"worst two-round contraction after the heal {worst:g3} (q = {q:g3})");
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
    }

    [Fact]
    public void AwaitAssert_on_the_frontier_runs_the_simulation_instead_of_waiting()
    {
        // A second between clusters: an iteration takes seconds of the cluster's (virtual) time.
        var spec = ClusterSpecs.Default(3, 3) with { NetworkLatency = TimeSpan.FromSeconds(1), ResendInterval = TimeSpan.FromSeconds(3) };
        using var cluster = LocalCluster.Simulated(spec, CreateSimulation(), LoggerFactory);
        AwaitAssert(() => Assert.True(cluster.Frontier >= 2), TimeSpan.FromMinutes(1));   // the first iterations also compile the code

        var virtualStart = Simulation.Now;
        var wall = Stopwatch.StartNew();
        AwaitAssert(() => Assert.True(cluster.Frontier >= 7), TimeSpan.FromMinutes(1));
        wall.Stop();
        var waited = Simulation.Now - virtualStart;
        Output.WriteLine($"AwaitAssert waited {waited.TotalSeconds:0.##} s of virtual time in {wall.Elapsed.TotalMilliseconds:0} ms of wall time");
        Assert.True(waited >= TimeSpan.FromSeconds(10), $"only {waited} of virtual time passed");
        Assert.True(wall.Elapsed < TimeSpan.FromSeconds(1), $"{wall.Elapsed} of wall time for {waited} of virtual time");
    }

    [Fact]
    public void Within_fails_as_Akkas_when_the_simulated_wait_takes_longer()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(3, 3, iterations: 20), CreateSimulation(), LoggerFactory);
        var e = Assert.ThrowsAny<XunitException>(() => Within(TimeSpan.FromSeconds(5), () => cluster.RunFor(TimeSpan.FromSeconds(10))));
        Assert.StartsWith("Failed: Block took 00:00:10, exceeding 00:00:05.", e.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(10), Simulation.Now);
    }

    [Fact]
    public void The_same_cluster_agrees_in_real_time_on_akka()
    {
        using var cluster = LocalCluster.RealTime(ClusterSpecs.Default(3, 3) with { NetworkLatency = TimeSpan.Zero }, LoggerFactory);
        var probe = CreateTestProbe();
        cluster.Subscribe<NodeFinished>(probe);
        var finished = probe.ReceiveN(9, TimeSpan.FromSeconds(60)).Cast<NodeFinished>().Select(f => f.Name);
        Assert.Equal(cluster.NodeNames.Order(), finished.Order());
        AgreementAssert.EpsilonAgreement(cluster, 1e-4);
    }
}
