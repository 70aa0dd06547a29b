namespace Decentral.Nodes.Runtime;

/// <summary>When a scheduled fault fires.</summary>
public abstract record FaultTrigger;

/// <summary>When the frontier (the highest iteration any live node has reached) reaches <paramref name="Iteration"/>.</summary>
public sealed record AtIteration(int Iteration) : FaultTrigger
{
    public override string ToString() => $"at iteration {Iteration}";
}

/// <summary>At <paramref name="Time"/> after the run started (virtual time under the simulator).</summary>
public sealed record AtTime(TimeSpan Time) : FaultTrigger
{
    public override string ToString() => $"at {Time.TotalSeconds:0.###} s";
}

/// <summary>
/// What a fault does. Targets name a cluster ("c1": its whole process/actor system) or a node
/// ("c1/n2": one node actor), using the run's cluster names.
/// </summary>
public abstract record FaultAction;

/// <summary>Crash without cleanup: volatile state is lost, checkpoints survive.</summary>
public sealed record CrashFault(string Target) : FaultAction
{
    public override string ToString() => $"crash {Target}";
}

/// <summary>Start a crashed node or cluster again; it recovers from its newest valid checkpoint.</summary>
public sealed record RestartFault(string Target) : FaultAction
{
    public override string ToString() => $"restart {Target}";
}

/// <summary>Split the clusters into groups that cannot reach each other (clusters left out form one more group).</summary>
public sealed record PartitionFault(IReadOnlyList<IReadOnlyList<string>> Groups) : FaultAction
{
    public override string ToString() => "partition " + string.Join(" | ", Groups.Select(g => string.Join(",", g)));
}

/// <summary>Remove every partition, blackhole, delay and drop.</summary>
public sealed record HealFault : FaultAction
{
    public override string ToString() => "heal";
}

/// <summary>Add a one-way-per-direction delay on the links between two clusters (both directions).</summary>
public sealed record DelayFault(string From, string To, TimeSpan Delay) : FaultAction
{
    public override string ToString() => $"delay {From}<->{To} {Delay.TotalMilliseconds:0.###} ms";
}

/// <summary>Drop messages between two clusters with a probability (both directions).</summary>
public sealed record DropFault(string From, string To, double Probability) : FaultAction
{
    public override string ToString() => $"drop {From}<->{To} p={Probability}";
}

public sealed record ScheduledFault(FaultTrigger Trigger, FaultAction Action)
{
    public override string ToString() => $"{Action} {Trigger}";
}
