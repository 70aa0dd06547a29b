using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;
using Decentral.Remote;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Decentral.TestKit;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;
using MemberStatus = Akka.Cluster.MemberStatus;

namespace Decentral.Cluster.Tests;

/// <summary>
/// The seed-node hazard of Akka.Cluster with a fixed roster (<see cref="ClusterMembership.Join"/>), with three
/// actor systems on fixed 127.0.0.1 ports in this process and Akka's throttler to cut them: the first
/// seed restarted on its port while cut off from the other two founds an island cluster when it joins
/// the way Akka's seed list would have it; joining as <c>decentral node</c> does after a restart (the
/// other seeds only) it stays outside any cluster while cut off, and joins the existing cluster as a new
/// incarnation once the cut heals.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterJoinTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    /// <summary>Longer than Akka's seed-node-timeout (5 s), after which a lone first seed joins itself.</summary>
    private static readonly TimeSpan PastSeedTimeout = TimeSpan.FromSeconds(9);

    private readonly int[] _ports = LoopbackPorts.Free(3);
    private readonly List<(RealTimeHost Host, ActorSystem System)> _systems = [];

    private Address[] Configured => [.. _ports.Select(p => new Address("akka.tcp", RemoteRuntimes.SystemName, "127.0.0.1", p))];

    [Fact]
    public void A_restarted_first_seed_cut_off_from_the_others_never_forms_an_island_and_rejoins_after_the_heal()
    {
        var time = TestTime.Real();
        var c1 = Start(0, rejoin: false);
        var c2 = Start(1, rejoin: false);
        var c3 = Start(2, rejoin: false);
        foreach (var s in new[] { c1, c2, c3 })
        {
            time.AwaitCondition(() => UpMembers(s) == 3, Max, TimeSpan.FromMilliseconds(100), $"{Role(s)} seeing three members up");
        }

        var firstUid = AkkaCluster.Get(c1).SelfUniqueAddress.Uid;
        Stop(c1);
        time.AwaitCondition(() => UpMembers(c2) == 2 && UpMembers(c3) == 2, Max, TimeSpan.FromMilliseconds(100), "c2 and c3 without c1");

        // The hazard: c1 back on its port, cut off from c2 and c3, joining with itself first in the seed
        // list (what Akka's configured seed-nodes do) founds a cluster of its own.
        var island = Start(0, rejoin: false, cutOff: true);
        time.AwaitCondition(() => AkkaCluster.Get(island).SelfMember.Status == MemberStatus.Up, Max, TimeSpan.FromMilliseconds(100), "the island forming");
        Assert.Equal(1, UpMembers(island));
        output.WriteLine("with itself as first seed, the cut-off restart founded an island of one");
        Stop(island);

        // decentral node after a restart: the other seeds only. Cut off, it stays outside any cluster.
        var restarted = Start(0, rejoin: true, cutOff: true);
        var up = new TaskCompletionSource();
        AkkaCluster.Get(restarted).RegisterOnMemberUp(() => up.TrySetResult());
        Assert.False(up.Task.Wait(PastSeedTimeout), "the restarted first seed became a member while cut off from every other seed");
        Assert.Equal(0, UpMembers(restarted));
        Assert.Equal(2, UpMembers(c2));

        // The heal: it joins c2 and c3's cluster as a new incarnation.
        Heal(restarted);
        time.AwaitCondition(() => up.Task.IsCompleted, Max, TimeSpan.FromMilliseconds(100), "the restarted c1 joining after the heal");
        foreach (var s in new[] { restarted, c2, c3 })
        {
            time.AwaitCondition(() => UpMembers(s) == 3, Max, TimeSpan.FromMilliseconds(100), $"{Role(s)} seeing three members up after the heal");
        }

        var c1Seen = AkkaCluster.Get(c2).State.Members.Single(m => m.Roles.Contains("c1"));
        Assert.Equal(AkkaCluster.Get(restarted).SelfUniqueAddress, c1Seen.UniqueAddress);
        Assert.NotEqual(firstUid, c1Seen.UniqueAddress.Uid);
    }

    [Fact]
    public void A_whole_deployment_restarted_at_once_forms_a_cluster_only_through_the_process_that_may_found_it()
    {
        var time = TestTime.Real();

        // Every process restarted (its checkpoints exist): each asks only the others, so nobody founds.
        var c1 = Start(0, rejoin: true);
        var c2 = Start(1, rejoin: true);
        var c3 = Start(2, rejoin: true);
        var anyUp = new TaskCompletionSource();
        foreach (var s in new[] { c1, c2, c3 })
        {
            AkkaCluster.Get(s).RegisterOnMemberUp(() => anyUp.TrySetResult());
        }

        Assert.False(anyUp.Task.Wait(PastSeedTimeout), "a restarted process founded a cluster without --found-cluster");

        // `decentral node --found-cluster` for one of them (here c2, not the first seed): it founds, the
        // others, still asking, join it.
        Stop(c2);
        c2 = Start(1, rejoin: true, mayFound: true);
        foreach (var s in new[] { c1, c2, c3 })
        {
            time.AwaitCondition(() => UpMembers(s) == 3, Max, TimeSpan.FromMilliseconds(100), $"{Role(s)} seeing three members up");
        }
    }

    public void Dispose()
    {
        foreach (var (host, system) in _systems)
        {
            host.Terminate([system], null);
        }
    }

    private static string Role(ActorSystem system) => AkkaCluster.Get(system).SelfRoles.Single();

    private static int UpMembers(ActorSystem system) => AkkaCluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up);

    private ActorSystem Start(int cluster, bool rejoin, bool cutOff = false, bool mayFound = false)
    {
        var name = $"c{cluster + 1}";
        var host = new RealTimeHost(
            RemoteRuntimes.Hocon("127.0.0.1", _ports[cluster], new ProtocolWireOptions { Dimension = 4 }, RemoteTuning.Default with { ReconnectDelay = TimeSpan.FromMilliseconds(500) }, faultAdapters: true)
            + ClusterMembership.Hocon(name, TimeSpan.FromSeconds(10)));
        var system = host.CreateSystem(RemoteRuntimes.SystemName);
        _systems.Add((host, system));
        if (cutOff)
        {
            foreach (var other in Configured.Where((_, i) => i != cluster))
            {
                TransportFaults.Apply(system, new SetThrottle(other, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance), Max);
            }
        }

        var seeds = ClusterMembership.Join(system, Configured, cluster, rejoin, mayFound);
        output.WriteLine($"{name} joins through {string.Join(", ", seeds)}");
        return system;
    }

    private void Heal(ActorSystem system)
    {
        foreach (var other in Configured)
        {
            TransportFaults.Apply(system, new SetThrottle(other, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance), Max);
        }
    }

    private void Stop(ActorSystem system)
    {
        var entry = _systems.Single(s => s.System == system);
        entry.Host.Terminate([system], null);
        _systems.Remove(entry);
    }
}
