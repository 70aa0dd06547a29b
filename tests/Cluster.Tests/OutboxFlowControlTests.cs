using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;
using Decentral.Agreement;
using Decentral.Remote;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// Flow control of the remote path (<see cref="PeerOutboxes"/>): Akka.Remote never blocks a send, so
/// without it models for a blackholed or slow peer pile up in Akka's endpoint buffer. Two actor systems
/// on 127.0.0.1 with Akka's throttler adapter; three senders of one process flood a peer with hundreds
/// of models while the peer is blackholed, then while it reads at a trickle: the outbox holds at most one
/// message per sender and a window in flight, the process's memory stays flat, and after the heal the
/// peer gets every sender's newest model.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class OutboxFlowControlTests(ITestOutputHelper output) : IDisposable
{
    private const int Dimension = 50_000;
    private const int Senders = 3;
    private const int Stages = 150;
    private const int Recipient = Senders; // the peer's node: global index 3 = cluster 1, member 0

    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    private readonly RealTimeHost _host = new(RemoteRuntimes.Hocon(
        "127.0.0.1", 0, new ProtocolWireOptions { Dimension = Dimension, ProcessCount = Senders + 1 }, RemoteTuning.Default with { ReconnectDelay = TimeSpan.FromMilliseconds(500) }, faultAdapters: true));

    private readonly List<ActorSystem> _systems = [];

    [Fact]
    public void A_blackholed_or_slow_peer_never_grows_the_senders_memory_and_gets_the_newest_models_after_the_heal()
    {
        var time = TestTime.Real();
        var a = Create("a");
        var b = Create("b");
        var newest = new ConcurrentDictionary<int, int>();
        var collector = b.ActorOf(Props.Create(() => new Newest(newest)), "collector");
        b.ActorOf(RemoteRuntimes.InboxProps(() => collector, Recipient), RemoteRuntimes.InboxName(new ProcessId(1, 0)));

        var outboxes = new PeerOutboxes(OutboxSettings.For(Dimension, VectorEncoding.Float64));
        var peer = RemoteRuntimes.AddressOf(b);
        var route = outboxes.Route(a, peer, new ProcessId(1, 0), Recipient);
        var window = outboxes.Settings.Window;
        var modelBytes = 8L * Dimension;
        output.WriteLine($"window {window}, ack timeout {outboxes.Settings.AckTimeout}, model {modelBytes / 1e6:F1} MB");

        // Associated and acknowledged: the path works.
        route.Tell(new ModelMessage(1, 0, new double[Dimension]), ActorRefs.NoSender);
        time.AwaitCondition(() => newest.GetValueOrDefault(0) == 1 && Counters().Acknowledged == 1, Max, TimeSpan.FromMilliseconds(20), "the first model delivered and acknowledged");

        var sent = 1L;

        // 1. Blackholed: everything to and from b vanishes (no acknowledgements either).
        TransportFaults.Apply(a, new SetThrottle(peer, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance), Max);
        sent += Flood(route, first: 2);
        var blackholed = AwaitProcessed(time, sent, "the flood while blackholed");
        AssertBounded(blackholed, window, "blackholed");

        // The blackholed sends are counted lost after the acknowledgement timeout, freeing the window.
        time.AwaitCondition(() => Counters().InFlight == 0, Max, TimeSpan.FromMilliseconds(50), "the blackholed sends timing out");

        // 2. Slow: b reads at a trickle (about one model every 4 s), so Akka's writer keeps what it is given.
        TransportFaults.Apply(a, new SetThrottle(peer, ThrottleTransportAdapter.Direction.Send, new TokenBucket((int)(2 * modelBytes), modelBytes / 4.0, 0, 0)), Max);
        var before = LiveBytes();
        sent += Flood(route, first: 2 + Stages);
        var slow = AwaitProcessed(time, sent, "the flood to the slow peer");
        var grown = LiveBytes() - before;
        AssertBounded(slow, window, "slow");
        var flooded = (long)Senders * Stages * modelBytes;
        output.WriteLine($"live memory grew by {grown / 1e6:F1} MB while {flooded / 1e6:F0} MB of models were sent to the slow peer");
        Assert.True(grown < ((window + (2 * Senders)) * modelBytes) + (32L << 20),
            $"live memory grew by {grown / 1e6:F1} MB: more than a window ({window}) and one model per sender ({Senders}) of {modelBytes / 1e6:F1} MB (unbounded buffering would hold {flooded / 1e6:F0} MB)");

        // 3. Heal: every sender's newest model reaches b.
        TransportFaults.Apply(a, new SetThrottle(peer, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance), Max);
        var last = 1 + (2 * Stages);
        time.AwaitCondition(() => Enumerable.Range(0, Senders).All(s => newest.GetValueOrDefault(s) == last), Max, TimeSpan.FromMilliseconds(50), "every sender's newest model at b after the heal");
        var end = Counters();
        output.WriteLine($"end: {end}");
        Assert.True(end.Superseded >= 2 * Senders * (Stages - window - 2), $"only {end.Superseded} models were superseded");

        OutboxCounters Counters() => outboxes.CountersOf(a, peer)!;

        OutboxCounters AwaitProcessed(TestTime t, long total, string what)
        {
            OutboxCounters c = null!;
            t.AwaitCondition(() => (c = Counters()).Sent + c.Superseded + c.DuplicatesDropped + c.PendingSends == total, Max, TimeSpan.FromMilliseconds(20), what);
            output.WriteLine($"{what}: {c}");
            return c;
        }
    }

    public void Dispose() => _host.Terminate(_systems, null);

    /// <summary>Each sender sends its models of stages <paramref name="first"/>… to the peer, as fast as it can.</summary>
    private static long Flood(IActorRef route, int first)
    {
        for (var t = first; t < first + Stages; t++)
        {
            for (var s = 0; s < Senders; s++)
            {
                route.Tell(new ModelMessage(t, s, new double[Dimension]), ActorRefs.NoSender);
            }
        }

        return (long)Stages * Senders;
    }

    private static void AssertBounded(OutboxCounters c, int window, string when)
    {
        Assert.InRange(c.PendingMessages, 0, Senders);
        Assert.InRange(c.InFlight, 0, window);
        Assert.True(c.Superseded >= Senders * (Stages - window - 1), $"{when}: only {c.Superseded} of {Senders * Stages} models were superseded");
    }

    private static long LiveBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private ActorSystem Create(string name)
    {
        var system = _host.CreateSystem(name);
        _systems.Add(system);
        return system;
    }

    /// <summary>Remembers the newest iteration that arrived from each sender.</summary>
    private sealed class Newest : ReceiveActor
    {
        public Newest(ConcurrentDictionary<int, int> newest) =>
            Receive<ModelMessage>(m => newest.AddOrUpdate(m.Sender, m.Iteration, (_, old) => Math.Max(old, m.Iteration)));
    }
}
