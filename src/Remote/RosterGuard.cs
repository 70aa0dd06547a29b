using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace Decentral.Remote;

/// <summary>
/// Keeps the Akka cluster to the configured roster: a member is admitted only with exactly one role that is
/// a configured cluster's name, at that cluster's configured address (host:port). Any other member — a
/// second process claiming a role from another address (a copy of the configuration with other ports, a
/// process started with the wrong <c>--cluster</c>), a stranger with no or an unknown role — is downed by
/// every process that sees it join, before it is ever Up, so it never replaces or doubles a cluster; it is
/// counted and logged once. A new incarnation of a configured address (a restarted process: same
/// host:port, new uid) is the roster's own member and is left to Akka, which removes the old incarnation;
/// a second live process at the same address cannot exist on one machine (<see cref="AddressClaim"/>).
/// <para>
/// When this process itself is removed from the cluster while it runs (downed by the others as an
/// impostor, or replaced by a new incarnation of its address), <paramref name="onSelfRemoved"/> is called:
/// the process must stop, its actor system is being shut down by Akka.
/// </para>
/// </summary>
public sealed class RosterGuard
{
    private readonly IReadOnlyList<string> _clusters;
    private readonly IReadOnlyList<Address> _addresses;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<UniqueAddress, string> _refused = new();
    private long _refusedCount;

    public RosterGuard(ActorSystem system, IReadOnlyList<string> clusters, IReadOnlyList<Address> addresses, ILogger log, Action<string>? onSelfRemoved = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(log);
        _clusters = clusters;
        _addresses = addresses;
        _log = log;
        var cluster = Cluster.Get(system);
        var listener = system.ActorOf(Props.Create(() => new Listener(this, cluster)), "roster-guard");
        cluster.Subscribe(listener, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        if (onSelfRemoved is not null)
        {
            // Also called when this process leaves on its own (shutdown): the caller tells the two apart.
            cluster.RegisterOnMemberRemoved(() => onSelfRemoved(
                $"this process ({cluster.SelfAddress}) was removed from the Akka cluster while running: the deployment refused it, or a new process took its address"));
        }
    }

    /// <summary>Members downed because they are not on the roster.</summary>
    public long Refused => Interlocked.Read(ref _refusedCount);

    /// <summary>Why <paramref name="member"/> may not be a member (null: it may): checks roles and address against the roster.</summary>
    public string? Problem(Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var roles = member.Roles.Where(r => !r.StartsWith("dc-", StringComparison.Ordinal)).ToList();
        if (roles.Count != 1)
        {
            return roles.Count == 0 ? "it has no role (a member's role is its cluster's name)" : $"it has roles {string.Join(", ", roles)}, a member has exactly one";
        }

        var role = roles[0];
        var index = -1;
        for (var i = 0; i < _clusters.Count; i++)
        {
            if (string.Equals(_clusters[i], role, StringComparison.Ordinal))
            {
                index = i;
            }
        }

        if (index < 0)
        {
            return $"its role {role} is no configured cluster (clusters: {string.Join(", ", _clusters)})";
        }

        var expected = _addresses[index];
        return expected.Port == member.Address.Port && string.Equals(expected.Host, member.Address.Host, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"it claims cluster {role}, whose configured address is {expected.Host}:{expected.Port}";
    }

    private void On(Cluster cluster, ClusterEvent.IMemberEvent e)
    {
        var member = e.Member;
        if (e is ClusterEvent.MemberRemoved || member.Status is MemberStatus.Down or MemberStatus.Removed || Problem(member) is not { } problem)
        {
            return;
        }

        if (_refused.TryAdd(member.UniqueAddress, problem))
        {
            Interlocked.Increment(ref _refusedCount);
            _log.LogWarning(
                "Refusing the Akka cluster member at {Address} (uid {Uid}): {Problem}; it is downed and never admitted. Check that process's configuration and --cluster",
                member.Address, member.UniqueAddress.Uid, problem);
        }

        cluster.Down(member.Address);
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(RosterGuard guard, Cluster cluster) => Receive<ClusterEvent.IMemberEvent>(e => guard.On(cluster, e));
    }
}
