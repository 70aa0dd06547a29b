using Decentral.Actors;
using Decentral.Nodes.Protocol;
using Microsoft.Extensions.Logging;

namespace Decentral.Nodes.Runtime;

/// <summary>Fault injection by name: "c2" is a cluster (its actor system), "c2/n1" one node.</summary>
public sealed partial class ClusterRuntime
{
    /// <summary>Crashes a node or a whole cluster without cleanup; checkpoints survive.</summary>
    public void Crash(string target)
    {
        var (cluster, node) = ResolveLocal(target);
        if (node is { } i)
        {
            var actor = nodeRefs[i] ?? throw new InvalidOperationException($"{target} is already crashed.");
            SystemOf(cluster).Crash(actor);
            statuses[i].MarkCrashed();
            return;
        }
        if (SystemOf(cluster).IsCrashed)
        {
            throw new InvalidOperationException($"{target} is already crashed.");
        }
        SystemOf(cluster).Crash();
        foreach (var member in Spec.Layout.Members(cluster))
        {
            statuses[Spec.Layout.IndexOf(member)].MarkCrashed();
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
            SystemOf(cluster).Restart(nodeRefs[i]!);
            return;
        }
        // The cluster's shared registers were volatile memory of the crashed process: start empty.
        memories[cluster] = new ClusterMemory(Spec.Layout.SizeOf(cluster));
        foreach (var member in Spec.Layout.Members(cluster))
        {
            statuses[Spec.Layout.IndexOf(member)].MarkRestarted();
        }
        SystemOf(cluster).Restart();
    }

    /// <summary>Clusters in different groups cannot reach each other; clusters named in no group form one more group.</summary>
    public void Partition(IReadOnlyList<IReadOnlyList<string>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var seen = new HashSet<int>();
        var addressGroups = new List<IReadOnlyCollection<Address>>();
        foreach (var group in groups)
        {
            var addresses = new List<Address>();
            foreach (var name in group)
            {
                var c = ClusterIndex(name);
                if (!seen.Add(c))
                {
                    throw new ArgumentException($"Cluster '{name}' appears in more than one partition group.", nameof(groups));
                }
                addresses.Add(AddressOf(c));
            }
            addressGroups.Add(addresses);
        }
        var rest = Enumerable.Range(0, systems.Length).Where(c => !seen.Contains(c)).Select(AddressOf).ToList();
        if (rest.Count > 0)
        {
            addressGroups.Add(rest);
        }
        Network.Partition([.. addressGroups]);
    }

    public void Heal() => Network.Heal();

    public void Delay(string from, string to, TimeSpan delay) =>
        Network.SetDelay(AddressOf(ClusterIndex(from)), AddressOf(ClusterIndex(to)), DelayDistribution.Constant(delay));

    public void Drop(string from, string to, double probability) =>
        Network.SetDropProbability(AddressOf(ClusterIndex(from)), AddressOf(ClusterIndex(to)), probability);

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
            case AtIteration at:
                collector.AtIteration(at.Iteration, () => Post(() => Apply(fault.Action)));
                break;
            case AtTime at when Simulation is { } sim:
                sim.Schedule(at.Time, () => Apply(fault.Action));
                break;
            case AtTime at:
                lock (timers)
                {
                    timers.Add(Time.CreateTimer(_ => Apply(fault.Action), null, at.Time, Timeout.InfiniteTimeSpan));
                }
                break;
        }
    }

    /// <summary>Runs a fault outside the node turn that triggered it (a node must not crash itself mid-handler).</summary>
    private void Post(Action action)
    {
        if (Simulation is { } sim)
        {
            sim.Schedule(TimeSpan.Zero, action);
        }
        else
        {
            ThreadPool.QueueUserWorkItem(_ => action());
        }
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
