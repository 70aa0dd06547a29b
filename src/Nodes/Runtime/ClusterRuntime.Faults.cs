using Akka.Actor;
using Decentral.Nodes.Network;
using Decentral.Nodes.Protocol;
using Microsoft.Extensions.Logging;

namespace Decentral.Nodes.Runtime;

/// <summary>Fault injection by name: "c2" is a cluster (its actor system), "c2/n1" one node.</summary>
public sealed partial class ClusterRuntime
{
    /// <summary>Crashes a node (stops its actor) or a whole cluster (all its nodes) without cleanup; checkpoints survive.</summary>
    public void Crash(string target)
    {
        var (cluster, node) = ResolveLocal(target);
        if (node is { } i)
        {
            if (!CrashNode(i))
            {
                throw new InvalidOperationException($"{target} is already crashed.");
            }
            return;
        }
        var any = false;
        foreach (var member in Spec.Layout.Members(cluster))
        {
            any |= CrashNode(Spec.Layout.IndexOf(member));
        }
        if (!any)
        {
            throw new InvalidOperationException($"{target} is already crashed.");
        }
    }

    /// <summary>Restarts a crashed node or cluster; its nodes recover from their newest valid checkpoints.</summary>
    public void Restart(string target)
    {
        var (cluster, node) = ResolveLocal(target);
        if (node is { } i)
        {
            if (!statuses[i].Snapshot.Crashed)
            {
                throw new InvalidOperationException($"{target} is not crashed, so there is nothing to restart.");
            }
            statuses[i].MarkRestarted();
            Spawn(i);
            return;
        }
        var members = Spec.Layout.Members(cluster).Select(Spec.Layout.IndexOf).ToList();
        if (members.Any(m => !statuses[m].Snapshot.Crashed))
        {
            throw new InvalidOperationException($"Not every node of {target} is crashed; restart its crashed nodes by name.");
        }
        // The cluster's shared registers were volatile memory of the crashed process: start empty.
        memories[cluster] = new ClusterMemory(Spec.Layout.SizeOf(cluster));
        foreach (var m in members)
        {
            statuses[m].MarkRestarted();
            Spawn(m);
        }
    }

    /// <summary>Clusters in different groups cannot reach each other; clusters named in no group form one more group.</summary>
    public void Partition(IReadOnlyList<IReadOnlyList<string>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var seen = new HashSet<int>();
        var addressGroups = new List<IReadOnlyCollection<string>>();
        foreach (var group in groups)
        {
            var names = new List<string>();
            foreach (var name in group)
            {
                var c = ClusterIndex(name);
                if (!seen.Add(c))
                {
                    throw new ArgumentException($"Cluster '{name}' appears in more than one partition group.", nameof(groups));
                }
                names.Add(name);
            }
            addressGroups.Add(names);
        }
        var rest = Enumerable.Range(0, systems.Length).Where(c => !seen.Contains(c)).Select(Spec.ClusterName).ToList();
        if (rest.Count > 0)
        {
            addressGroups.Add(rest);
        }
        Network.Partition([.. addressGroups]);
    }

    public void Heal() => Network.Heal();

    public void Delay(string from, string to, TimeSpan delay) =>
        Network.SetDelay(Spec.ClusterName(ClusterIndex(from)), Spec.ClusterName(ClusterIndex(to)), DelayDistribution.Constant(delay));

    public void Drop(string from, string to, double probability) =>
        Network.SetDropProbability(Spec.ClusterName(ClusterIndex(from)), Spec.ClusterName(ClusterIndex(to)), probability);

    /// <summary>Applies a fault now and records it in <see cref="FaultLog"/>; errors are recorded, not thrown.</summary>
    public FaultRecord Apply(FaultAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string? error = null;
        try
        {
            switch (action)
            {
                case CrashFault c:
                    Crash(c.Target);
                    break;
                case RestartFault r:
                    Restart(r.Target);
                    break;
                case PartitionFault p:
                    Partition(p.Groups);
                    break;
                case HealFault:
                    Heal();
                    break;
                case DelayFault d:
                    Delay(d.From, d.To, d.Delay);
                    break;
                case DropFault d:
                    Drop(d.From, d.To, d.Probability);
                    break;
                default:
                    throw new ArgumentException($"Unknown fault {action}.", nameof(action));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            error = ex.Message;
            log.LogWarning("Fault {Fault} failed: {Error}", action, ex.Message);
        }
        var record = new FaultRecord(action.ToString()!, Frontier, Elapsed.TotalSeconds, error);
        lock (faultLog)
        {
            faultLog.Add(record);
        }
        log.LogInformation("Fault {Fault} at iteration {Frontier}", action, record.Frontier);
        OnProgress();
        return record;
    }

    /// <summary>Checks that every name a fault schedule uses exists (before the run starts).</summary>
    public void ValidateFaultTargets(IEnumerable<ScheduledFault> faults)
    {
        foreach (var f in faults)
        {
            switch (f.Action)
            {
                case CrashFault c:
                    Resolve(c.Target);
                    break;
                case RestartFault r:
                    Resolve(r.Target);
                    break;
                case PartitionFault p:
                    foreach (var n in p.Groups.SelectMany(g => g))
                    {
                        ClusterIndex(n);
                    }
                    break;
                case DelayFault d:
                    ClusterIndex(d.From);
                    ClusterIndex(d.To);
                    break;
                case DropFault d:
                    ClusterIndex(d.From);
                    ClusterIndex(d.To);
                    break;
            }
        }
    }

    private void Arm(ScheduledFault fault)
    {
        switch (fault.Trigger)
        {
            // Never inside the node turn that moved the frontier: a node must not crash itself mid-handler.
            case AtIteration at:
                collector.AtIteration(at.Iteration, () => Host.Schedule(TimeSpan.Zero, () => Apply(fault.Action)));
                break;
            case AtTime at:
                Host.Schedule(at.Time, () => Apply(fault.Action));
                break;
        }
    }

    /// <summary>Stops node <paramref name="index"/>'s actor; false when it was not running.</summary>
    private bool CrashNode(int index)
    {
        var actor = Interlocked.Exchange(ref nodeRefs[index], null);
        if (actor is null)
        {
            return false;
        }
        statuses[index].MarkCrashed();
        systems[Spec.Layout.ProcessAt(index).Cluster]!.Stop(actor);
        collector.OnCrashed(index);
        return true;
    }

    private ActorSystem SystemOf(int cluster) =>
        systems[cluster] ?? throw new InvalidOperationException($"Cluster {Spec.ClusterName(cluster)} runs in another process.");

    private (int Cluster, int? Node) ResolveLocal(string target)
    {
        var (cluster, node) = Resolve(target);
        SystemOf(cluster);
        return (cluster, node);
    }

    private (int Cluster, int? Node) Resolve(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (ClusterIndex(target), null);
        }
        var node = NodeIndex(target);
        return (Spec.Layout.ProcessAt(node).Cluster, node);
    }
}
