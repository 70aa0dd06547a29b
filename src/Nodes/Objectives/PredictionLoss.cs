namespace Decentral.Nodes.Objectives;

/// <summary>A loss ℓ(z, b) of the linear prediction z = aᵀx and the label b, with its slope ∂ℓ/∂z.</summary>
public interface IPredictionLoss
{
    static abstract double Evaluate(double prediction, double label, out double slope);
}

public readonly struct LogisticLossFunction : IPredictionLoss
{
    // ℓ = log(1 + exp(−b z)); ∂ℓ/∂z = −b σ(−b z). Both stable for any margin.
    public static double Evaluate(double prediction, double label, out double slope)
    {
        var margin = label * prediction;
        slope = -label * StableMath.Sigmoid(-margin);
        return StableMath.Softplus(-margin);
    }
}

public readonly struct SquaredLossFunction : IPredictionLoss
{
    // ℓ = ½ (z − b)²; ∂ℓ/∂z = z − b.
    public static double Evaluate(double prediction, double label, out double slope)
    {
        slope = prediction - label;
        return 0.5 * slope * slope;
    }
}
