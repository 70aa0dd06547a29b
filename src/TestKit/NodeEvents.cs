namespace Decentral.TestKit;

/// <summary>
/// What a node of a <see cref="LocalCluster"/> did, as a plain immutable message for Akka's TestKit:
/// <c>cluster.Subscribe(probe)</c> delivers these to a probe (or any actor), in the order each node
/// did them. Every event names its node twice: <see cref="Name"/> (<c>"c2/n1"</c>, the name faults
/// take) and <see cref="Index"/> (its global index, <c>cluster.IndexOf(name)</c>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Incarnations.</b> A node's incarnation counts its lives as its checkpoints record them: the
/// first start is incarnation 0, and a node restarted from a checkpoint that incarnation k wrote is
/// incarnation k + 1 (so with a checkpoint at every restart, the n-th restart is incarnation n). A
/// node restarted when it has no valid checkpoint starts over, as incarnation 0 again. The number is
/// the protocol's own (it is stored in every checkpoint and survives a process restart); it is not
/// the suffix of the node's actor name: within one process the second actor of node <c>c2/n2</c> is
/// named <c>n2-2</c>, the third <c>n2-3</c>, and so on, whatever the incarnation.
/// </para>
/// <para>
/// Events compare by value (records). They carry no models: read a node's model with
/// <c>cluster.Node(name).Model</c>. They are delivered in process only (never across Akka.Remote),
/// and are bound to Hyperion in the TestKit's actor system all the same.
/// </para>
/// </remarks>
public abstract record NodeEvent(string Name, int Index);

/// <summary>
/// The node started (first start or restart) as <paramref name="Incarnation"/> (see <see cref="NodeEvent"/>),
/// about to work on <paramref name="Iteration"/>; <paramref name="FromCheckpoint"/> when it resumed from a
/// checkpoint (then a <see cref="CheckpointLoaded"/> precedes this event).
/// </summary>
public sealed record NodeStarted(string Name, int Index, int Incarnation, int Iteration, bool FromCheckpoint) : NodeEvent(Name, Index);

/// <summary>
/// The node completed agreement round <paramref name="Round"/> of <paramref name="Iteration"/> (round 0 is
/// the exchange of the models after the local step); <paramref name="Skipped"/> when it jumped to this
/// round from an earlier one (see <see cref="NodeSkipped"/>).
/// </summary>
public sealed record RoundCompleted(string Name, int Index, int Iteration, int Round, bool Skipped) : NodeEvent(Name, Index);

/// <summary>The node completed <paramref name="Iteration"/>; <paramref name="Skipped"/> when it jumped into it instead of computing it.</summary>
public sealed record IterationCompleted(string Name, int Index, int Iteration, bool Skipped) : NodeEvent(Name, Index);

/// <summary>
/// The node held a quorum for a later stage and jumped there: from round <paramref name="FromRound"/> of
/// <paramref name="FromIteration"/> (where it was) to round <paramref name="ToRound"/> of <paramref name="ToIteration"/>.
/// </summary>
public sealed record NodeSkipped(string Name, int Index, int FromIteration, int FromRound, int ToIteration, int ToRound) : NodeEvent(Name, Index);

/// <summary>
/// A fault crashed the node (its actor stopped without cleanup) while it was <paramref name="Incarnation"/>
/// at <paramref name="Iteration"/>; its checkpoints survive.
/// </summary>
public sealed record NodeCrashed(string Name, int Index, int Incarnation, int Iteration) : NodeEvent(Name, Index);

/// <summary>A checkpoint of the node is durable: incarnation <paramref name="Incarnation"/>'s model after <paramref name="Iteration"/>.</summary>
public sealed record CheckpointSaved(string Name, int Index, int Incarnation, int Iteration) : NodeEvent(Name, Index);

/// <summary>
/// A restarted node loaded its newest valid checkpoint: the one incarnation <paramref name="SavedBy"/> wrote
/// after <paramref name="Iteration"/>; the node goes on as incarnation <paramref name="SavedBy"/> + 1.
/// </summary>
public sealed record CheckpointLoaded(string Name, int Index, int SavedBy, int Iteration) : NodeEvent(Name, Index);

/// <summary>The node finished all <paramref name="Iterations"/> iterations (as <paramref name="Incarnation"/>).</summary>
public sealed record NodeFinished(string Name, int Index, int Incarnation, int Iterations) : NodeEvent(Name, Index);
