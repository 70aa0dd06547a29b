namespace Decentral.Nodes.Protocol;

/// <summary>What a protocol asks its shell (a node actor, a test, the simulator) to do.</summary>
public abstract record ProtocolEffect;

/// <summary>Send to every other process (the protocol has already recorded its own copy).</summary>
public sealed record Broadcast(ProtocolMessage Message) : ProtocolEffect;

/// <summary>Send to one process (used to help a lagging peer skip forward).</summary>
public sealed record SendTo(int Recipient, ProtocolMessage Message) : ProtocolEffect;

/// <summary>Deliver <see cref="ComputeDone"/> for <paramref name="Iteration"/> after <paramref name="Delay"/>.</summary>
public sealed record ScheduleCompute(int Iteration, TimeSpan Delay) : ProtocolEffect;

/// <summary>
/// Deliver <see cref="ClusterStep"/> soon (through the mailbox, so the cluster members' register
/// operations interleave with everything else the dispatcher runs).
/// </summary>
public sealed record ScheduleClusterStep(Stage Stage) : ProtocolEffect;

/// <summary>
/// Write a checkpoint durably before acting on anything later: the node resumes at iteration
/// <paramref name="Iteration"/> with model <paramref name="Model"/>. The shell adds its clock's time.
/// </summary>
public sealed record SaveCheckpoint(int Incarnation, int Iteration, double[] Model) : ProtocolEffect
{
    /// <summary>The local optimizer the state belongs to ("" when none).</summary>
    public string Optimizer { get; init; } = "";

    /// <summary>A copy of the local optimizer's state at this point (empty for plain SGD).</summary>
    public double[] OptimizerState { get; init; } = [];
}

/// <summary>Something an observer (metrics, invariant checkers, tests) may want to know.</summary>
public sealed record Observe(ProtocolEvent Event) : ProtocolEffect;

/// <summary>Inputs a shell feeds a protocol besides peer messages.</summary>
public abstract record ProtocolSignal;

/// <summary>The compute-time delay of iteration t has elapsed: compute the gradient now.</summary>
public sealed record ComputeDone(int Iteration) : ProtocolSignal;

/// <summary>Perform one register operation of the in-cluster agreement of <paramref name="Stage"/>.</summary>
public sealed record ClusterStep(Stage Stage) : ProtocolSignal;

/// <summary>The periodic resend timer fired.</summary>
public sealed record ResendTick : ProtocolSignal
{
    public static ResendTick Instance { get; } = new();
}
