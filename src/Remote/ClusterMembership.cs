using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Decentral.Nodes.Runtime;

namespace Decentral.Remote;

/// <summary>
/// Akka.Cluster for a deployment with a fixed roster (AKKA.md, "Akka.Cluster with a fixed roster"): one
/// member per cluster process, its role the cluster's name, the seed nodes the configured cluster
/// addresses, and no downing — a partitioned minority must stay alive to catch up after the heal, and
/// the protocol never waits for membership (models travel over Akka.Remote to fixed addresses). Membership
/// is what `status` reports: who is up, who is unreachable as this process sees it, who left.
/// <para>
/// The seed-node hazard: Akka's first seed joins <em>itself</em> when no other seed answers within
/// <c>seed-node-timeout</c>, so a first seed restarted inside a minority partition would found an island
/// cluster that never merges back. Hence <see cref="Join"/>: only the first cluster's process, and only on
/// a fresh start, may found the cluster; a restart (and every other process) joins the other seeds only,
/// retrying until one of them answers, never itself. Its new incarnation replaces the old one (Akka downs
/// and removes a member whose host:port comes back with a new uid, even with downing off).
/// </para>
/// </summary>
public static class ClusterMembership
{
    /// <summary>
    /// The cluster settings of one process (<c>akka-cluster.conf</c>, laid over <see cref="RemoteRuntimes.Settings"/>): provider,
    /// <paramref name="role"/>, downing off, seeds joined in code (<see cref="Join"/>), failure detectors
    /// that tolerate <paramref name="heartbeatPause"/> (heartbeats queue behind multi-MB models on the same
    /// connection), and a leave that gives up waiting after 5 s (a leave cannot converge while some member
    /// is unreachable, and a SIGTERM'd process must exit within the CLI's grace).
    /// </summary>
    public static AkkaSettings Settings(string role, TimeSpan heartbeatPause)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return AkkaSettings.Empty.WithResource(typeof(ClusterMembership).Assembly, "akka-cluster.conf")
            .Set("akka.cluster.roles", [role])
            .Set("akka.cluster.failure-detector.acceptable-heartbeat-pause", heartbeatPause)
            .Set("akka.remote.watch-failure-detector.acceptable-heartbeat-pause", heartbeatPause);
    }

    /// <summary><see cref="Settings"/> rendered as HOCON.</summary>
    public static string Hocon(string role, TimeSpan heartbeatPause) => Settings(role, heartbeatPause).Render();

    /// <summary>
    /// Starts joining the cluster of <paramref name="configured"/> (every cluster's configured address, in
    /// cluster order) from cluster <paramref name="self"/>'s <paramref name="system"/>. Only cluster 0 on a
    /// fresh start lists itself (first): it founds the cluster when no other seed answers. With
    /// <paramref name="rejoin"/> (a restart) or for any other cluster, the other seeds only: Akka keeps
    /// asking them and never joins itself. <paramref name="mayFound"/> (`decentral node --found-cluster`,
    /// for one process when a whole deployment restarts) lists this process first whatever its index or
    /// history. Returns the seeds in the order given to Akka.
    /// </summary>
    public static IReadOnlyList<Address> Join(ActorSystem system, IReadOnlyList<Address> configured, int self, bool rejoin, bool mayFound = false)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentOutOfRangeException.ThrowIfNegative(self);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(self, configured.Count);

        // The scheme follows the transport this system really runs (TLS, fault adapters): seeds must match it.
        var scheme = RemoteRuntimes.AddressOf(system).Protocol;
        var seeds = configured.Select(a => new Address(scheme, a.System, a.Host, a.Port)).ToList();
        var others = seeds.Where((_, i) => i != self).ToList();
        List<Address> order = others.Count == 0 || mayFound || (self == 0 && !rejoin) ? [seeds[self], .. others] : others;
        Cluster.Get(system).JoinSeedNodes(order);
        return order;
    }
}

/// <summary>
/// This process's view of the cluster, from Akka.Cluster's member and reachability events (subscribed
/// with the initial state as events): each member's address, role, status and whether this process can
/// reach it; members that left stay listed as "removed" until a new incarnation of their address joins.
/// </summary>
internal sealed class MembershipTracker
{
    private readonly Cluster _cluster;
    private readonly ConcurrentDictionary<Address, Entry> _members = new();
    private string? _leader;
    private long _unreachableEvents;

    public MembershipTracker(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        _cluster = Cluster.Get(system);
        var listener = system.ActorOf(Props.Create(() => new Listener(this)), "membership-tracker");
        _cluster.Subscribe(
            listener,
            ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent),
            typeof(ClusterEvent.IReachabilityEvent),
            typeof(ClusterEvent.LeaderChanged));
    }

    /// <summary>How many times a member became unreachable as seen from here (a false alarm counts too).</summary>
    public long UnreachableEvents => Interlocked.Read(ref _unreachableEvents);

    public MembershipReport Report()
    {
        var self = _cluster.SelfUniqueAddress;
        var selfStatus = _members.TryGetValue(self.Address, out var me) && me.Uid == self.Uid ? me.Status : "not-joined";
        var members = _members.Values
            .OrderBy(m => m.Address.Host, StringComparer.Ordinal).ThenBy(m => m.Address.Port)
            .Select(m => new MemberReport(m.Address.ToString(), m.Role, m.Status, m.Reachable, m.Uid.ToString("x", CultureInfo.InvariantCulture)))
            .ToList();
        return new MembershipReport(selfStatus, Volatile.Read(ref _leader), members, UnreachableEvents);
    }

    private static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.WeaklyUp => "weakly-up",
        _ => status.ToString().ToLowerInvariant(),
    };

    private void On(object e)
    {
        switch (e)
        {
            case ClusterEvent.MemberRemoved removed:
                // A newer incarnation at the same address may already be listed: keep it.
                _members.AddOrUpdate(
                    removed.Member.Address,
                    _ => Entry.Of(removed.Member, "removed", reachable: true),
                    (_, old) => old.Uid == removed.Member.UniqueAddress.Uid ? Entry.Of(removed.Member, "removed", reachable: true) : old);
                break;
            case ClusterEvent.IMemberEvent m:
                _members.AddOrUpdate(
                    m.Member.Address,
                    _ => Entry.Of(m.Member, StatusName(m.Member.Status), reachable: true),
                    (_, old) => Entry.Of(m.Member, StatusName(m.Member.Status), old.Uid != m.Member.UniqueAddress.Uid || old.Reachable));
                break;
            case ClusterEvent.UnreachableMember u:
                Interlocked.Increment(ref _unreachableEvents);
                _members.AddOrUpdate(u.Member.Address, _ => Entry.Of(u.Member, StatusName(u.Member.Status), reachable: false), (_, old) => old with { Reachable = false });
                break;
            case ClusterEvent.ReachableMember r:
                _members.AddOrUpdate(r.Member.Address, _ => Entry.Of(r.Member, StatusName(r.Member.Status), reachable: true), (_, old) => old with { Reachable = true });
                break;
            case ClusterEvent.LeaderChanged l:
                Volatile.Write(ref _leader, l.Leader?.ToString());
                break;
        }
    }

    private sealed record Entry(Address Address, long Uid, string Role, string Status, bool Reachable)
    {
        public static Entry Of(Member m, string status, bool reachable) =>
            new(m.Address, m.UniqueAddress.Uid, m.Roles.FirstOrDefault() ?? "", status, reachable);
    }

    private sealed class Listener : UntypedActor
    {
        private readonly MembershipTracker _tracker;

        public Listener(MembershipTracker tracker) => _tracker = tracker;

        protected override void OnReceive(object message) => _tracker.On(message);
    }
}

/// <summary>
/// The cluster as one process sees it: its own member status ("not-joined" until it is a member; then
/// joining, weakly-up, up, leaving, exiting), the leader, every member known here with its status and
/// whether this process reaches it, and how often a member became unreachable.
/// </summary>
public sealed record MembershipReport(string SelfStatus, string? Leader, IReadOnlyList<MemberReport> Members, long UnreachableEvents);

/// <summary>One member: address, role (the cluster's name), status, reachable from here, uid (its incarnation).</summary>
public sealed record MemberReport(string Address, string Role, string Status, bool Reachable, string Uid);
