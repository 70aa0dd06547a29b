namespace Decentral.Nodes.Protocol;

/// <summary>
/// The closed set of messages nodes exchange. Immutable: the vector is never written after the
/// message is built, so one instance is shared by every recipient.
/// </summary>
public abstract record ProtocolMessage
{
    private protected ProtocolMessage(Stage stage, int sender, double[] vector)
    {
        Stage = stage;
        Sender = sender;
        Vector = vector;
    }

    /// <summary>The iteration and round the vector belongs to.</summary>
    public Stage Stage { get; }

    /// <summary>Global index of the sending process (see ClusterLayout).</summary>
    public int Sender { get; }

    /// <summary>The model (round 0) or agreement value (rounds ≥ 1). Never mutated.</summary>
    public double[] Vector { get; }
}

/// <summary>⟨t, y_t⟩: the perturbed model of iteration t (step 3 of the algorithm).</summary>
public sealed record ModelMessage : ProtocolMessage
{
    public ModelMessage(int iteration, int sender, double[] model)
        : base(new Stage(iteration, 0), sender, model)
    {
    }

    public int Iteration => Stage.Iteration;
}

/// <summary>⟨t, r, z_r⟩: a cluster's agreed value for MDAA round r of iteration t.</summary>
public sealed record RoundMessage : ProtocolMessage
{
    public RoundMessage(int iteration, int round, int sender, double[] value)
        : base(new Stage(iteration, round), sender, value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
    }

    public int Iteration => Stage.Iteration;

    public int Round => Stage.Round;
}
