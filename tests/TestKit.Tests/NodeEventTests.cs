using Decentral.Simulation;
using Xunit.Abstractions;

namespace Decentral.TestKit.Tests;

/// <summary>Probes subscribed to a simulated cluster get its nodes' events by name, in virtual time, deterministically.</summary>
public sealed class NodeEventTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void A_probe_gets_every_NodeFinished_by_name()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(2, 2, iterations: 30), CreateSimulation(), LoggerFactory);
        var probe = CreateTestProbe();
        cluster.Subscribe<NodeFinished>(probe);
        var finished = Enumerable.Range(0, 4).Select(_ => probe.ExpectMsg<NodeFinished>(TimeSpan.FromMinutes(1))).ToList();
        Assert.Equal(cluster.NodeNames.Order(), finished.Select(f => f.Name).Order());
        Assert.All(finished, f => Assert.Equal((f.Name, 0, 30), (cluster.NodeNames[f.Index], f.Incarnation, f.Iterations)));
        Assert.True(cluster.Runtime.IsDone);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Crash_restart_and_skip_arrive_as_events_with_the_documented_incarnations_and_actor_names()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(3, 3, iterations: 150), CreateSimulation(), LoggerFactory);
        var probe = CreateTestProbe();
        cluster.Subscribe(probe, typeof(NodeCrashed), typeof(CheckpointLoaded), typeof(NodeStarted), typeof(NodeSkipped));
        const string victim = "c2/n2";
        var index = cluster.IndexOf(victim);
        Assert.Equal("n2", cluster.Runtime.NodeRef(index)!.Path.Name);
        for (var life = 1; life <= 2; life++)
        {
            cluster.AwaitIteration(victim, 30 * life, TimeSpan.FromMinutes(1));
            cluster.Faults.Crash(victim);
            var crashed = probe.FishForMessage<NodeCrashed>(c => c.Name == victim, TimeSpan.FromSeconds(1));
            Assert.Equal(life - 1, crashed.Incarnation);
            cluster.AwaitFrontier(crashed.Iteration + 20, TimeSpan.FromMinutes(1));
            cluster.Faults.Restart(victim);
            var loaded = probe.FishForMessage<CheckpointLoaded>(c => c.Name == victim, TimeSpan.FromSeconds(5));
            Assert.Equal(life - 1, loaded.SavedBy);
            var started = probe.ExpectMsg<NodeStarted>(s => s.Name == victim, TimeSpan.FromSeconds(5));
            Assert.Equal(new NodeStarted(victim, index, life, loaded.Iteration + 1, FromCheckpoint: true), started);
            Assert.Equal($"n2-{life + 1}", cluster.Runtime.NodeRef(index)!.Path.Name);
            var skipped = probe.FishForMessage<NodeSkipped>(s => s.Name == victim, TimeSpan.FromMinutes(1));
            Assert.True(skipped.ToIteration > skipped.FromIteration, $"{skipped}");
        }
        cluster.AwaitFinished(TimeSpan.FromMinutes(5));
        Assert.Equal(2, cluster.Events.Of<NodeCrashed>().Count);
        Assert.Equal(2, cluster.Node(victim).Incarnation);
    }

    [Fact]
    public void CheckpointSaved_names_the_iteration_the_checkpoint_holds()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(2, 2, iterations: 20), CreateSimulation(), LoggerFactory);
        var probe = CreateTestProbe();
        cluster.Subscribe<CheckpointSaved>(probe);
        var saved = probe.FishForMessage<CheckpointSaved>(s => s.Name == "c1/n1" && s.Iteration == 20, TimeSpan.FromMinutes(1));
        Assert.Equal(0, saved.Incarnation);
        cluster.AwaitFinished(TimeSpan.FromMinutes(1));
        Assert.Equal(21, cluster.Runtime.Checkpoints.LoadLatestValid("c1/n1").Checkpoint!.Iteration);
    }

    [Fact]
    public void Subscribing_a_probe_does_not_change_the_run()
    {
        var spec = ClusterSpecs.Default(2, 2, iterations: 40);
        // Hashes are read before the clusters stop: shutdown traffic is not part of a run.
        ulong watched;
        using (var cluster = LocalCluster.Simulated(spec, CreateSimulation(), LoggerFactory))
        {
            var probe = CreateTestProbe();
            cluster.Subscribe(probe);
            cluster.AwaitFinished(TimeSpan.FromMinutes(1));
            Assert.IsType<NodeStarted>(probe.ReceiveOne(TimeSpan.Zero));
            watched = Simulation.TraceHash;
            Assert.Equal(0, Simulation.ForeignEnqueues);
        }
        ulong alone;
        using var unwatched = new Simulator(Simulation.Seed);
        using (var cluster = LocalCluster.Simulated(spec, unwatched, LoggerFactory))
        {
            cluster.AwaitFinished(TimeSpan.FromMinutes(1));
            alone = unwatched.TraceHash;
        }
        Assert.Equal(watched, alone);
        Output.WriteLine($"trace {watched:x16} with and without the probe");
    }

    [Fact]
    public void A_plain_Akka_probe_is_refused_on_a_simulated_cluster()
    {
        using var cluster = LocalCluster.Simulated(ClusterSpecs.Default(2, 2, iterations: 10), CreateSimulation(), LoggerFactory);
        var plain = new Akka.TestKit.TestProbe(Sys, Assertions);
        var e = Assert.Throws<VirtualTimeMisuseException>(() => cluster.Subscribe(plain));
        Assert.Contains("CreateTestProbe()", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => cluster.Subscribe(CreateTestProbe(), typeof(string)));
    }

    [Fact]
    public void Node_events_are_bound_to_Hyperion_and_round_trip()
    {
        var e = new NodeSkipped("c1/n2", 1, 3, 0, 7, 2);
        var serializer = Sys.Serialization.FindSerializerFor(e);
        Assert.Equal("HyperionSerializer", serializer.GetType().Name);
        Assert.Equal(e, serializer.FromBinary(serializer.ToBinary(e), typeof(NodeSkipped)));
        Assert.Equal("WARNING", Sys.Settings.LogLevel);
    }
}

/// <summary>A test that asks for Akka's INFO lines gets them.</summary>
public sealed class LouderTestKitTests(ITestOutputHelper output) : DecentralTestKit(output, "akka.loglevel = INFO")
{
    [Fact]
    public void The_configuration_given_to_the_test_kit_wins_over_the_quiet_default() =>
        Assert.Equal("INFO", Sys.Settings.LogLevel);
}
