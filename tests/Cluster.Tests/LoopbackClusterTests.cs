using Akka.Actor;
using Decentral.Configuration;
using Decentral.Remote;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// <see cref="RemoteRuntimes.LoopbackCluster"/>: every cluster its own actor system on a 127.0.0.1 port in
/// this process, every inter-cluster message over Akka.Remote in the protocol's binary format.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class LoopbackClusterTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(90);
    private readonly Deployment _deployment = new(output, iterations: 80, computeScale: "2ms");

    [Theory]
    [InlineData(VectorEncoding.Float64, true)]
    [InlineData(VectorEncoding.Float32, false)]
    public void Clusters_train_to_agreement_over_akka_remote_through_a_node_restart(VectorEncoding encoding, bool tls)
    {
        var spec = RunConfiguration.Load(_deployment.ConfigFile).Spec;
        var guard = tls
            ? new TlsGuard(RemoteTls.Load(new TlsOptions(_deployment.CertificateFile, null, Deployment.PasswordEnv, [])), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            : null;
        using var runtime = RemoteRuntimes.LoopbackCluster(spec, encoding: encoding, tls: guard);
        var time = TestTime.Real();
        runtime.Start();
        var scheme = tls ? "akka.ssl.tcp" : "akka.tcp";
        Assert.All(runtime.Systems, s => Assert.StartsWith($"{scheme}://{s.Name}@127.0.0.1:", RemoteRuntimes.AddressOf(s).ToString(), StringComparison.Ordinal));
        // c2/n1 itself must have a durable checkpoint to restart from: under load its cluster can lag while
        // the others (a quorum without it) reach iteration 10, and a node without one starts afresh.
        time.AwaitCondition(
            () => runtime.Frontier >= 10 && runtime.Checkpoints.LoadLatestValid("c2/n1").Checkpoint is not null,
            Max, TimeSpan.FromMilliseconds(50), "iteration 10 and a checkpoint of c2/n1");

        // A node restarted inside its process gets a new actor (n1-2); its peers in other clusters still
        // reach it through its inbox, or it could never finish.
        runtime.Crash("c2/n1");
        var atCrash = runtime.Frontier;
        time.AwaitCondition(() => runtime.Frontier >= atCrash + 10, Max, TimeSpan.FromMilliseconds(50), "progress without c2/n1");
        runtime.Restart("c2/n1");
        time.AwaitCondition(() => runtime.IsDone, Max, TimeSpan.FromMilliseconds(50), "every node finishing");

        var restarted = runtime.Nodes[runtime.NodeIndex("c2/n1")].Snapshot;
        Assert.True(restarted.Finished, "c2/n1 did not finish after its restart");
        Assert.True(restarted.Incarnation > 0, "c2/n1 kept incarnation 0");
        Assert.All(runtime.Snapshot(), n => Assert.True(n.Finished && !n.Crashed, $"{n.Name} finished={n.Finished} crashed={n.Crashed}"));
        foreach (var system in runtime.Systems)
        {
            var counters = ProtocolSerializer.Of(system).Counters;
            output.WriteLine($"{system.Name}: {counters}");
            Assert.True(counters.MessagesEncoded > 0 && counters.MessagesDecoded > 0, $"{system.Name} exchanged nothing over Akka.Remote");
            Assert.Equal(0, counters.Rejected);
            Assert.Equal(0, counters.EncodeFailures);
            Assert.Equal(counters.MessagesEncoded * ProtocolWireCodec.EncodedLength(spec.Training.Dimension, encoding), counters.BytesEncoded);
        }

        var final = runtime.Summarize(true).Final;
        output.WriteLine($"final: {final}");
        Assert.Equal(9, final.LiveNodes);
        Assert.True(final.DiameterL2 <= 1e-3, $"final Δ₂ {final.DiameterL2} among the 9 nodes");
    }

    [Fact]
    public void A_value_float32_cannot_hold_is_not_sent_but_counted_and_the_association_stays_usable()
    {
        const int dimension = 4;
        var host = new RealTimeHost(RemoteRuntimes.Hocon(
            "127.0.0.1", 0, new ProtocolWireOptions { Dimension = dimension, Encoding = VectorEncoding.Float32, ProcessCount = 2 }, RemoteTuning.Default));
        var sender = host.CreateSystem("sender");
        var receiver = host.CreateSystem("receiver");
        try
        {
            var received = new System.Collections.Concurrent.ConcurrentQueue<ModelMessage>();
            receiver.ActorOf(Props.Create(() => new Collector(received)), "n1");
            var target = ((ExtendedActorSystem)sender).Provider.ResolveActorRef(new RootActorPath(RemoteRuntimes.AddressOf(receiver)) / "user" / "n1");

            target.Tell(new ModelMessage(1, 0, [1, 2, 3, 1e300]), ActorRefs.NoSender);
            target.Tell(new ModelMessage(2, 0, [1, 2, 3, 4]), ActorRefs.NoSender);

            TestTime.Real().AwaitCondition(() => received.Any(m => m.Iteration == 2), Max, TimeSpan.FromMilliseconds(20), "the valid model after the unencodable one");
            Assert.DoesNotContain(received, m => m.Iteration == 1);
            Assert.Equal([1f, 2f, 3f, 4f], received.Single().Vector.Select(v => (float)v));
            Assert.Equal(1, ProtocolSerializer.Of(sender).Counters.EncodeFailures);
            Assert.Equal(1, ProtocolSerializer.Of(sender).Counters.MessagesEncoded);
        }
        finally
        {
            host.Terminate([sender, receiver], null);
        }
    }

    public void Dispose() => _deployment.Dispose();

    private sealed class Collector : ReceiveActor
    {
        public Collector(System.Collections.Concurrent.ConcurrentQueue<ModelMessage> received) => Receive<ModelMessage>(received.Enqueue);
    }
}
