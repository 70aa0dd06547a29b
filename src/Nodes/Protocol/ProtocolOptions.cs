using Decentral.Agreement;

namespace Decentral.Nodes.Protocol;

/// <summary>Knobs of the decentralized protocol that every node of a run shares.</summary>
public sealed record ProtocolOptions
{
    /// <summary>Default bound on buffered stages (iterations × rounds ahead) per node.</summary>
    public const int DefaultMaxBufferedStages = 256;

    public required ClusterLayout Layout { get; init; }

    public QuorumRule Quorum { get; init; } = QuorumRule.Processes;

    /// <summary>T: iterations to run (1…T).</summary>
    public required int Iterations { get; init; }

    /// <summary>R: MDAA rounds per iteration (0 = average only, no contraction phase).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Extra MDAA rounds after the last iteration so the final models agree closely.</summary>
    public int FinalRounds { get; init; }

    /// <summary>K: in-cluster agreement rounds (ClusterApproximateAgreement).</summary>
    public int ClusterRounds { get; init; } = 3;

    public IAggregationRule Rule { get; init; } = MidExtremes.Instance;

    public int MaxBufferedStages { get; init; } = DefaultMaxBufferedStages;

    /// <summary>Write a checkpoint after every this many iterations (0 = never).</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>The decisions a planted bug of the simulation may bend; <see cref="ProtocolRules.Faithful"/> otherwise.</summary>
    internal ProtocolRules Rules { get; init; } = ProtocolRules.Faithful;

    public int RoundsFor(int iteration) => iteration == Iterations ? Rounds + FinalRounds : Rounds;

    /// <summary>
    /// The position of <paramref name="stage"/> in the sequence of stages every node passes through,
    /// (t − 1)(R + 1) + r: the round number of the node's <see cref="Mdaa"/> instance.
    /// </summary>
    public int OrdinalOf(Stage stage) => ((stage.Iteration - 1) * (Rounds + 1)) + stage.Round;

    /// <summary>The stage at position <paramref name="ordinal"/> (the inverse of <see cref="OrdinalOf"/>).</summary>
    public Stage StageAt(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        var iteration = Math.Min((ordinal / (Rounds + 1)) + 1, Iterations);
        return new Stage(iteration, ordinal - ((iteration - 1) * (Rounds + 1)));
    }

    /// <summary>The position of the last stage, (T, R + final rounds).</summary>
    public int LastOrdinal => OrdinalOf(new Stage(Iterations, RoundsFor(Iterations)));

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Layout);
        ArgumentNullException.ThrowIfNull(Quorum);
        ArgumentNullException.ThrowIfNull(Rule);
        Quorum.Validate(Layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, 1, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfNegative(Rounds, nameof(Rounds));
        ArgumentOutOfRangeException.ThrowIfNegative(FinalRounds, nameof(FinalRounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(ClusterRounds, 1, nameof(ClusterRounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBufferedStages, 2, nameof(MaxBufferedStages));
        ArgumentOutOfRangeException.ThrowIfNegative(CheckpointEvery, nameof(CheckpointEvery));
        if (((long)Iterations * (Rounds + 1)) + FinalRounds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations,
                $"T·(R + 1) + final rounds must stay below 2³¹ stages (T = {Iterations}, R = {Rounds}, final rounds {FinalRounds}).");
        }
    }
}
