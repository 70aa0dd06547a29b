namespace Decentral.Nodes.Protocol;

/// <summary>Observable facts about a node's progress, for metrics, tests and invariant checkers.</summary>
public abstract record ProtocolEvent(int Node);

/// <summary>The node (re)started at <paramref name="Stage"/>, from a checkpoint when <paramref name="FromCheckpoint"/>.</summary>
public sealed record NodeStarted(int Node, int Incarnation, Stage Stage, bool FromCheckpoint) : ProtocolEvent(Node);

/// <summary>
/// The node completed <paramref name="Stage"/> with the values of <paramref name="Senders"/>: its new
/// value is Σ Weights[i]·(value of Senders[i] for that stage). <paramref name="Skipped"/> is true when
/// the stage was later than the one the node was working on (it jumped forward).
/// </summary>
public sealed record StageCompleted(
    int Node,
    Stage Stage,
    IReadOnlyList<int> Senders,
    IReadOnlyList<double>? Weights,
    double[] Value,
    bool Skipped,
    Stage From) : ProtocolEvent(Node);

/// <summary>Iteration t finished: the node's model is now x_{t+1}.</summary>
public sealed record IterationCompleted(int Node, int Iteration, double[] Model, bool Skipped) : ProtocolEvent(Node);

/// <summary>A message was rejected before reaching the protocol state (wrong length, non-finite, unknown sender).</summary>
public sealed record MessageRejected(int Node, int Sender, Stage Stage, string Reason) : ProtocolEvent(Node);

/// <summary>
/// An always-on check failed inside the node (a bug, see <see cref="Decentral.Agreement.Invariant"/>), or the
/// protocol threw some other exception (reported as <c>protocol.exception</c>): the node actor reports it, then
/// fails, and its supervisor restarts it from its checkpoint; `run` and `simulate` stop with exit code 1.
/// </summary>
public sealed record InvariantViolated(int Node, string Invariant, string Detail) : ProtocolEvent(Node);

/// <summary>
/// The node's own gradient step gave a non-finite model, or one beyond
/// <see cref="DecentralizedSgdProtocol.DivergenceBound"/>, at <paramref name="Iteration"/> (the step size is too
/// large for the objective): the node stops there, sending nothing, and the run reports it.
/// </summary>
public sealed record ModelDiverged(int Node, int Iteration, double StepSize) : ProtocolEvent(Node);

/// <summary>
/// The node's model broke its contract at <paramref name="Iteration"/> (threw, wrote NaN/∞, left gradient
/// coordinates unwritten, changed its dimension) or, with <paramref name="Iteration"/> = 0, when the node
/// started (its instance could not be made, or starts elsewhere than the run's x₁): the node stops as if
/// it had crashed — it sends nothing more — and the others go on. <paramref name="Detail"/> names the
/// model's type, the node and the iteration (<see cref="Models.ModelFailureException"/>).
/// </summary>
public sealed record ModelFailed(int Node, int Iteration, string Model, string Detail) : ProtocolEvent(Node);

/// <summary>The node finished all iterations.</summary>
public sealed record NodeFinished(int Node, double[] Model) : ProtocolEvent(Node);
