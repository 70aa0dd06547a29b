using System.Text;

namespace Decentral.Nodes.Checkpoints;

/// <summary>
/// What a node needs to resume after a crash: where it was (incarnation, iteration, agreement round),
/// its model, and a small opaque blob of extra protocol state. The vectors are copied in, so a record
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

    private readonly double[] _model;
    private readonly byte[] _protocolState;

    public Checkpoint(
        string node,
        long incarnation,
        long iteration,
        long round,
        ReadOnlySpan<double> model,
        ReadOnlySpan<byte> protocolState,
        DateTimeOffset writtenAt)
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
        Node = node;
        Incarnation = incarnation;
        Iteration = iteration;
        Round = round;
        _model = model.ToArray();
        _protocolState = protocolState.ToArray();
        WrittenAt = writtenAt;
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
        && _protocolState.AsSpan().SequenceEqual(other._protocolState);

    public override int GetHashCode() => HashCode.Combine(Node, Incarnation, Iteration, Round, _model.Length);

    public override string ToString() =>
        $"Checkpoint {{ Node = {Node}, Incarnation = {Incarnation}, Iteration = {Iteration}, Round = {Round}, Dimension = {_model.Length}, State = {_protocolState.Length} B, WrittenAt = {WrittenAt:O} }}";
}
