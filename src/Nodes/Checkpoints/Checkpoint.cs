using System.Text;

namespace Decentral.Nodes.Checkpoints;

/// <summary>
/// What a node needs to resume after a crash: where it was (incarnation, iteration, agreement round),
/// its model, its local optimizer's state (named by the optimizer; empty for plain SGD) and a small
/// opaque blob of extra protocol state. The vectors are copied in, so a record
/// never changes after construction; equality compares contents. The time it was written is supplied
/// by the caller (virtual time under the simulator) — no clock in here.
/// </summary>
public sealed record Checkpoint
{
    /// <summary>Bound on a node name's UTF-8 length.</summary>
    public const int MaxNodeNameBytes = 256;

    /// <summary>Bound on the model length (16 Mi doubles = 128 MiB).</summary>
    public const int MaxDimension = 1 << 24;

    /// <summary>Bound on the extra protocol state (it is meant to be small: counters, a round's votes).</summary>
    public const int MaxProtocolStateBytes = 1 << 20;

    /// <summary>Bound on the optimizer state: two vectors of the model's size and a few scalars (Adam's m, v, step count).</summary>
    public const int MaxOptimizerState = (2 * MaxDimension) + 64;

    /// <summary>Bound on the optimizer's name's UTF-8 length.</summary>
    public const int MaxOptimizerNameBytes = 64;

    private readonly double[] _model;
    private readonly byte[] _protocolState;
    private readonly double[] _optimizerState;

    public Checkpoint(
        string node,
        long incarnation,
        long iteration,
        long round,
        ReadOnlySpan<double> model,
        ReadOnlySpan<byte> protocolState,
        DateTimeOffset writtenAt,
        string optimizer = "",
        ReadOnlySpan<double> optimizerState = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        if (Encoding.UTF8.GetByteCount(node) > MaxNodeNameBytes)
        {
            throw new ArgumentException($"Node name is longer than {MaxNodeNameBytes} UTF-8 bytes.", nameof(node));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(incarnation);
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        if (model.IsEmpty || model.Length > MaxDimension)
        {
            throw new ArgumentOutOfRangeException(nameof(model), model.Length, $"The model must have 1…{MaxDimension} coordinates.");
        }
        for (var j = 0; j < model.Length; j++)
        {
            if (!double.IsFinite(model[j]))
            {
                throw new ArgumentException($"Model coordinate {j} is not finite ({model[j]}); a checkpoint must never preserve a diverged model.", nameof(model));
            }
        }
        if (protocolState.Length > MaxProtocolStateBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(protocolState), protocolState.Length, $"Protocol state is limited to {MaxProtocolStateBytes} bytes.");
        }
        ArgumentNullException.ThrowIfNull(optimizer);
        if (Encoding.UTF8.GetByteCount(optimizer) > MaxOptimizerNameBytes)
        {
            throw new ArgumentException($"The optimizer's name is longer than {MaxOptimizerNameBytes} UTF-8 bytes.", nameof(optimizer));
        }
        if (optimizerState.Length > MaxOptimizerState)
        {
            throw new ArgumentOutOfRangeException(nameof(optimizerState), optimizerState.Length, $"Optimizer state is limited to {MaxOptimizerState} values.");
        }
        if (optimizerState.Length > 0 && optimizer.Length == 0)
        {
            throw new ArgumentException("Optimizer state needs the name of its optimizer.", nameof(optimizer));
        }
        for (var j = 0; j < optimizerState.Length; j++)
        {
            if (!double.IsFinite(optimizerState[j]))
            {
                throw new ArgumentException($"Optimizer state value {j} is not finite ({optimizerState[j]}).", nameof(optimizerState));
            }
        }
        Node = node;
        Incarnation = incarnation;
        Iteration = iteration;
        Round = round;
        _model = model.ToArray();
        _protocolState = protocolState.ToArray();
        WrittenAt = writtenAt;
        Optimizer = optimizer;
        _optimizerState = optimizerState.ToArray();
    }

    /// <summary>The node's display name, e.g. "c1/n2".</summary>
    public string Node { get; }

    /// <summary>How many times the node has (re)started; incremented on each recovery.</summary>
    public long Incarnation { get; }

    public long Iteration { get; }

    /// <summary>The agreement (MDAA) round within the iteration; 0 when not inside one.</summary>
    public long Round { get; }

    public ReadOnlyMemory<double> Model => _model;

    public ReadOnlyMemory<byte> ProtocolState => _protocolState;

    /// <summary>The local optimizer <see cref="OptimizerState"/> belongs to; "" when the node keeps none.</summary>
    public string Optimizer { get; }

    /// <summary>The local optimizer's state after the checkpointed iteration (empty for plain SGD).</summary>
    public ReadOnlyMemory<double> OptimizerState => _optimizerState;

    public DateTimeOffset WrittenAt { get; }

    public bool Equals(Checkpoint? other) =>
        other is not null
        && Node == other.Node
        && Incarnation == other.Incarnation
        && Iteration == other.Iteration
        && Round == other.Round
        && WrittenAt == other.WrittenAt
        && WrittenAt.Offset == other.WrittenAt.Offset
        && _model.AsSpan().SequenceEqual(other._model)
        && _protocolState.AsSpan().SequenceEqual(other._protocolState)
        && Optimizer == other.Optimizer
        && _optimizerState.AsSpan().SequenceEqual(other._optimizerState);

    public override int GetHashCode() => HashCode.Combine(Node, Incarnation, Iteration, Round, _model.Length);

    public override string ToString() =>
        $"Checkpoint {{ Node = {Node}, Incarnation = {Incarnation}, Iteration = {Iteration}, Round = {Round}, Dimension = {_model.Length}, Optimizer = {(Optimizer.Length == 0 ? "none" : $"{Optimizer} ({_optimizerState.Length} values)")}, State = {_protocolState.Length} B, WrittenAt = {WrittenAt:O} }}";
}
